-- wrk script used by bench/run.sh for every measurement.
-- BENCH_BODY=FILE turns the request into a POST of that file's bytes with
-- Content-Type BENCH_CTYPE. At the end one machine-readable line is printed:
--   RESULT <requests/s> <p50 us> <p99 us> <requests> <socket errors> <non-2xx/3xx>

local body_file = os.getenv("BENCH_BODY")
if body_file ~= nil and body_file ~= "" then
	local f = assert(io.open(body_file, "rb"))
	wrk.method = "POST"
	wrk.body = f:read("*a")
	f:close()
	wrk.headers["Content-Type"] = os.getenv("BENCH_CTYPE") or "application/octet-stream"
end

function done(summary, latency, requests)
	local e = summary.errors
	local secs = summary.duration / 1e6
	io.write(string.format("RESULT %.1f %d %d %d %d %d\n",
		summary.requests / secs,
		latency:percentile(50), latency:percentile(99),
		summary.requests,
		e.connect + e.read + e.write + e.timeout, e.status))
end
