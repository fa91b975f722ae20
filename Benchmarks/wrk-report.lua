-- wrk -s Benchmarks/wrk-report.lua: one machine-readable line after the run, for Benchmarks/exporter-bench.sh.
-- Latencies in milliseconds over the completed requests (wrk records only responses within its --timeout,
-- so give a --timeout longer than the run to measure every one); errors
-- split by kind (wrk counts a request older than --timeout as a timeout at every check, not once);
-- non-2xx responses counted apart. Requests still in flight when the run ends are in no count.
done = function(summary, latency, requests)
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   local function ms(us) return us / 1000 end
   io.write(string.format(
      "wrk-report requests=%d seconds=%.3f rps=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
         .. " mean_ms=%.3f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non2xx=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
      ms(latency.mean), errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
