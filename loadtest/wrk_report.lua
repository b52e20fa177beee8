-- wrk's hooks for `make loadtest SCENARIO=capacity` (loadtest/capacity.py runs wrk with -s this file).
-- wrk prints only the 50/75/90/99th percentiles and counts only statuses from 400 up as errors, so
-- this counts every answer that is not 2xx (a redirect too: the route must be served, not bounced)
-- and prints one line that loadtest/wrk.py parses:
--   WRK_RESULT requests=… duration_us=… non2xx=… connect=… read=… write=… timeout=… p50_us=… p95_us=… p99_us=… max_us=…
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d "
      .. "p50_us=%d p95_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max
  ))
end
