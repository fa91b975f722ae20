-- The aggregates behind lazarus-exporter's SQL-expressible metrics, as a bare psql would compute them:
-- the reference for the exporter's cold start in Benchmarks/exporter-bench.sh (psql -X -q -f, timed).
-- One read-only snapshot, as the exporter reads one. The risk threshold is the default 0.5.
-- Also the per-day applicant sample behind PSI and shadow approval rates (which the exporter then works on
-- in memory); not here: the validation of every row, which the exporter's cold start adds.
SET TIME ZONE 'UTC';
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- Decisions by variant, decision and reason, with the time range (decisions_total,
-- last_decision_timestamp_seconds, explore_rate).
SELECT variant, approved, reason, count(*) AS decisions, min(decided_at) AS first_decided_at,
       max(decided_at) AS last_decided_at
FROM lazarus_decisions
GROUP BY variant, approved, reason
ORDER BY variant, approved, reason;

-- Outcomes of approved loans by variant and outcome, with the IPW sums (outcomes_total, ESS, max weight).
SELECT d.variant, o.defaulted, count(*) AS outcomes, sum(1 / d.propensity) AS weight_sum,
       sum(1 / (d.propensity * d.propensity)) AS weight_square_sum, max(1 / d.propensity) AS weight_max
FROM lazarus_outcomes o
JOIN lazarus_decisions d USING (application_id)
WHERE d.approved AND d.propensity > 0
GROUP BY d.variant, o.defaulted
ORDER BY d.variant, o.defaulted;

-- Explore loans: realised losses, principal still pending, good loans found.
SELECT sum(o.loss_amount) FILTER (WHERE o.defaulted) AS exploration_losses_dollars,
       coalesce(sum(d.loan_amount) FILTER (WHERE o.application_id IS NULL), 0) AS exploration_exposure_dollars,
       count(*) FILTER (WHERE d.score <= 0.5 AND NOT o.defaulted) AS good_loans_found
FROM lazarus_decisions d
LEFT JOIN lazarus_outcomes o USING (application_id)
WHERE d.variant = 'explore' AND d.approved;

-- Explore losses by the moment they were observed (the budget replay needs them against the ledger).
SELECT o.observed_at, o.loss_amount
FROM lazarus_outcomes o
JOIN lazarus_decisions d USING (application_id)
WHERE d.variant = 'explore' AND d.approved AND o.defaulted
ORDER BY o.observed_at;

-- The budget ledger, whole (a small table).
SELECT id, at, kind, amount, note FROM lazarus_budget_ledger ORDER BY at, id;

-- Approved loans still awaiting an outcome, by variant.
SELECT d.variant, count(*) AS pending
FROM lazarus_decisions d
WHERE d.approved AND NOT EXISTS (SELECT 1 FROM lazarus_outcomes o WHERE o.application_id = d.application_id)
GROUP BY d.variant
ORDER BY d.variant;

-- The applicant sample: the 2,000 smallest sampling hashes of each day's exploit decisions, on the first
-- and the last seven days of the data.
WITH bounds AS (
    SELECT date_trunc('day', min(decided_at)) AS first_day, date_trunc('day', max(decided_at)) AS last_day
    FROM lazarus_decisions
)
SELECT count(*), avg(annual_income) FROM (
    SELECT annual_income, row_number() OVER (
        PARTITION BY date_trunc('day', decided_at)
        ORDER BY ((ingest_seq % 2147483648) * 1103515245 + 12345) % 2147483648) AS pick
    FROM lazarus_decisions, bounds
    WHERE variant = 'exploit'
        AND (decided_at < first_day + interval '7 days' OR decided_at >= last_day - interval '6 days')
) ranked WHERE pick <= 2000;

COMMIT;
