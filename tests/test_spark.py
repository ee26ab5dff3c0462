"""The RFM summary expression on a real local Spark session gives what DuckDB gives."""

from __future__ import annotations

import shutil
import warnings

import ibis
import pandas as pd
import pytest

import carework
from carework.rfm import summary


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: run `make test`, which installs it "
                    "(apt-get install openjdk-17-jre-headless).")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("carework-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_summary_runs_on_spark_and_equals_duckdb(spark):
    tx = carework.load("data/sample").transactions[["customer_id", "purchased_at", "amount"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spark.createDataFrame(tx).createOrReplaceTempView("giao_dich")
        table = ibis.pyspark.connect(spark).table("giao_dich")
        on_spark = summary(table, calibration_end="2026-03-31", observation_end="2026-09-29")
    on_duckdb = summary(tx, calibration_end="2026-03-31", observation_end="2026-09-29")
    assert len(on_spark) == len(on_duckdb) > 2000
    pd.testing.assert_frame_equal(on_spark, on_duckdb)


def test_customer_flows_run_on_spark_and_equal_duckdb(spark):
    from carework.kpis import customer_flows

    tx = carework.load("data/sample").transactions[["customer_id", "purchased_at", "amount"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spark.createDataFrame(tx).createOrReplaceTempView("giao_dich_kpi")
        table = ibis.pyspark.connect(spark).table("giao_dich_kpi")
        on_spark = customer_flows(table, "quarter", active_days=90)
    on_duckdb = customer_flows(tx, "quarter", active_days=90)
    columns = ["period_label", "cs", "ce", "cn", "first_time", "retained", "lost"]
    pd.testing.assert_frame_equal(on_spark[columns], on_duckdb[columns])
    assert on_duckdb["cs"].iloc[1:].gt(500).all()
