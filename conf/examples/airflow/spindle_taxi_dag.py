"""An Airflow DAG that turns one day of raw taxi CSV into Avro with Spindle.

Copy this file into the DAGs folder of a scheduler whose workers have a Hadoop client
(`yarn` on PATH, HADOOP_CONF_DIR set) and the Spindle jobs jar at SPINDLE_JAR.

Spindle's exit code decides the task: 0 success; 1 the job failed (nothing visible in the
output); 2 bad options or input, found before submission (retrying will not help); 3 killed;
4 cluster or storage unreachable (worth a retry). The task pushes the JSON result
(--result-json: state, application id, counters, timings) to XCom as its last line, so a
downstream task can read the row counts.
"""

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator

SPINDLE_JAR = "/opt/spindle/spindle-jobs.jar"

# The command line, as a list so it can be checked: Spindle's own tests parse it with its CLI.
SPINDLE_ARGS = [
    "csv-to-avro",
    "-D", "spindle.yarn.queue=etl",
    "--input", "hdfs:///data/raw/taxi/{{ ds }}/",
    "--output", "hdfs:///data/clean/taxi-avro/{{ ds }}",
    "--filter", "passenger_count > 0",
    "--write-mode", "overwrite",
    "--result-json", "/tmp/spindle-{{ run_id }}.json",
    "--quiet",
]


def shell_quote(arg):
    return "'" + arg.replace("'", "'\\''") + "'"


with DAG(
    dag_id="spindle_taxi_csv_to_avro",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["spindle"],
) as dag:
    csv_to_avro = BashOperator(
        task_id="csv_to_avro",
        bash_command=(
            "yarn jar " + SPINDLE_JAR + " " + " ".join(shell_quote(a) for a in SPINDLE_ARGS) + "; code=$?; "
            "python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' /tmp/spindle-{{ run_id }}.json; "
            "exit $code"
        ),
        do_xcom_push=True,
        retries=2,
    )
