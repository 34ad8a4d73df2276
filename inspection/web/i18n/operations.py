"""Catalogue entries of the operations page (运行状态) and the drift report."""

# key -> (zh, en)
OPERATIONS: dict[str, tuple[str, str]] = {
    # operations page (运行状态): job runs, workers, queues
    "ops.title": ("运行状态", "Operations"),
    "ops.queues": ("队列", "Queues"),
    "ops.queue.crawl": ("采集队列（crawl）", "Crawl queue (crawl)"),
    "ops.queue.work": ("处理队列（work）", "Work queue (work)"),
    "ops.queue.taken": ("已领取未完成", "Taken, not yet acknowledged"),
    "ops.waiting": ("等待中", "Waiting"),
    "ops.broker_none": (
        "未配置消息代理：作业由调度器在本机以子进程运行，没有队列。",
        "No broker configured (LABOURWATCH_BROKER_URL): the scheduler runs jobs as its own child processes; "
        "there are no queues.",
    ),
    "ops.broker_unreachable": (
        "消息代理暂时无法连接，队列长度无法显示；作业记录见下表。请检查 Redis/RabbitMQ 服务。",
        "The broker cannot be reached, so queue lengths cannot be shown; the runs are below. Check the "
        "Redis/RabbitMQ service.",
    ),
    "ops.recent_runs": ("最近的作业", "Recent job runs"),
    "ops.recent_failures": ("最近失败", "Recent failures"),
    "ops.no_runs": ("尚无作业记录。", "No job has run yet."),
    "ops.no_failures": ("没有失败的作业。", "No failed runs."),
    "ops.failing": ("连续失败", "Failing"),
    "ops.failing_note": (
        "以下作业最近连续失败，请查看日志：",
        "These jobs failed several slots in a row; see their logs:",
    ),
    "ops.slots_failed": ("个时段连续失败", "slots failed in a row"),
    "ops.job": ("作业", "Job"),
    "ops.slot": ("时段", "Slot"),
    "ops.status": ("状态", "Status"),
    "ops.attempts": ("尝试次数", "Attempts"),
    "ops.seconds": ("耗时（秒）", "Seconds"),
    "ops.worker": ("执行节点", "Worker"),
    "ops.scheduler_itself": ("调度器本机", "the scheduler itself"),
    "ops.error": ("错误", "Error"),
    "ops.status.succeeded": ("成功", "Succeeded"),
    "ops.status.running": ("运行中", "Running"),
    "ops.status.failed": ("失败", "Failed"),
    "ops.status.retry": ("失败，将重试", "Failed, will retry"),
    "ops.status.interrupted": ("已中断，将重试", "Interrupted, will retry"),
    "ops.status.busy": ("来源正被采集，稍后重试", "Source busy, will retry"),
    "ops.status.gave_up": ("失败，已放弃", "Failed, gave up"),
    "drift.banner": (
        "数据漂移告警：以下来源的评分或特征分布明显变化，模型结果需复核。",
        "Drift alert: scores or indicator rates of these sources shifted; check the model's output.",
    ),
    "drift.details": ("查看漂移周报", "See the drift report"),
    "drift.no_report": (
        "尚无漂移周报。每周运行以下命令生成：",
        "No drift report yet. Run this weekly to make one:",
    ),
    "drift.week_from": ("本周起", "Week from"),
    "drift.reference_from": ("参照期起", "Reference from"),
    "drift.threshold": ("告警阈值", "Alert threshold"),
    "drift.source": ("来源", "Source"),
    "drift.n_reference": ("参照期条数", "Reference listings"),
    "drift.n_latest": ("本周条数", "Latest listings"),
    "drift.score_psi": ("评分PSI", "Score PSI"),
    "drift.indicator": ("变化最大的指标", "Most shifted indicator"),
    "drift.indicator_psi": ("指标PSI", "Indicator PSI"),
    "drift.alert": ("告警", "Alert"),
    "drift.chart": ("各来源PSI与告警阈值", "PSI per source with the alert threshold"),
}
