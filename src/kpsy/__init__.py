"""kpsy: the 雁峰区全民科学素质行动规划纲要实施方案 (2021-2025) kept as data."""

__version__ = "0.1.0"
