"""The batch n-gram hasher's counting (risk_model.ngram_hash)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from risk_model.ngram_hash import CHUNK_CODE_POINTS, CharNgramHasher, _counts


def test_counts_are_scipys_summed_duplicates_exactly() -> None:
    """One sort of the pairs' keys (row * width + col) gives the canonical CSR that sum_duplicates gives:
    same arrays, same index dtypes (rows with no pair, repeated pairs, one column, wide matrices)."""
    rng = np.random.default_rng(11)
    for _ in range(200):
        pairs, rows, width = (
            int(rng.integers(0, 3000)),
            int(rng.integers(1, 60)),
            2 ** int(rng.integers(0, 21)),
        )
        row, col = rng.integers(0, rows, pairs), rng.integers(0, width, pairs)
        expected = sp.csr_matrix((np.ones(pairs), (row, col)), shape=(rows, width))
        expected.sum_duplicates()
        for key_type in (np.uint32, np.uint64):  # the hasher's 32-bit keys where the batch allows
            got = _counts((row * width + col).astype(key_type), (rows, width))
            for name in ("indptr", "indices", "data"):
                assert np.array_equal(getattr(got, name), getattr(expected, name)), name
                assert getattr(got, name).dtype == getattr(expected, name).dtype, name
            assert got.has_canonical_format


def test_batches_too_large_for_32_bit_keys_count_the_same() -> None:
    """A batch whose rows x n_features pass 2**32 keys its n-grams in 64 bits: the same counts, row by row."""
    texts = ["招工招工", "日结", "", "包吃住"] * 1100  # 4,400 rows x 2**20 columns > 2**32
    hasher = CharNgramHasher(n_features=2**20).fit(None)
    whole = hasher._count(texts)
    assert whole.shape == (4400, 2**20)
    for row in (0, 1, 2, 3, 4399):
        alone = hasher._count([texts[row]])
        assert whole[row].indices.tolist() == alone.indices.tolist()
        assert whole[row].data.tolist() == alone.data.tolist()


def test_the_hasher_counts_each_ngram_of_each_text() -> None:
    hasher = CharNgramHasher(n_features=2**20).fit(None)
    matrix = hasher.transform(["招工招工", "", "招工招工", "a"])
    assert matrix.shape == (4, 2**20)
    first = dict(zip(matrix[0].indices.tolist(), matrix[0].data.tolist(), strict=True))
    assert sorted(first.values()) == [1.0, 1.0, 1.0, 2.0]  # 招工 x2, 工招, 招工招, 工招工
    assert matrix[1].nnz == 0 and matrix[3].nnz == 0
    assert (matrix[0] != matrix[2]).nnz == 0


def test_a_batch_hashed_in_chunks_is_each_texts_own_counts() -> None:
    """Texts are hashed a chunk at a time (CHUNK_CODE_POINTS): rows on both sides of a chunk's end, an
    empty text, a text longer than a chunk and repeated texts all get their own counts, in order."""
    rng = np.random.default_rng(7)
    alphabet = list("招工日结包吃住押金身份证未满十六岁ab 1")
    texts = ["".join(rng.choice(alphabet, int(rng.integers(0, 900)))) for _ in range(150)]
    texts += ["", "长" * (CHUNK_CODE_POINTS + 5), texts[3], texts[0], "工资"]
    assert sum(len(t) + 1 for t in texts) > 3 * CHUNK_CODE_POINTS
    hasher = CharNgramHasher(n_features=2**20, ngram_range=(2, 4)).fit(None)
    for whole in (hasher._count(texts), hasher.transform(texts)):
        assert whole.shape == (len(texts), 2**20)
        assert whole.indices.dtype == np.int32 and whole.has_sorted_indices
        for row, text in enumerate(texts):
            alone = hasher._count([text])
            assert whole[row].indices.tolist() == alone.indices.tolist(), row
            assert whole[row].data.tolist() == alone.data.tolist(), row


def test_a_column_looked_up_alone_names_what_the_whole_table_names() -> None:
    # Explanations name a column at a time (ColumnNames.__getitem__); iterating builds the whole table.
    # Both must give the same n-grams, the ones the counting put in that column.
    hasher = CharNgramHasher(n_features=2**6, ngram_range=(2, 3)).fit(None)  # small: columns collide
    text = "押金三百元，押金三百，招１６岁以下"
    names = hasher.columns_of(text)
    table = dict(names)
    matrix = hasher.transform([text])
    assert set(table) == set(matrix.indices)
    assert sum(len(set(grams)) for grams in table.values()) <= matrix.sum()
    for column, grams in table.items():
        assert hasher.columns_of(text)[column] == grams
    missing = next(c for c in range(2**6) if c not in table)
    assert hasher.columns_of(text).get(missing, ["#"]) == ["#"]
    assert len(hasher.columns_of("")) == 0 and hasher.columns_of("").get(1) is None
