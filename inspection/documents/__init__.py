"""Printable documents: the 督办通知, the case file (案卷) and the monthly assessment report (考核), as PDF."""
