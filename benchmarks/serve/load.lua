-- wrk script for benchmarks/serve/load.sh: each request is the next of a fixed mix of full and
-- conditional GETs of lists and rules (some gzip), so every connection asks for all of them.
-- ETags come from the environment (the script fetched them first).
local list = "/v1/us1/lists/synthetics.txt"
local rules = "/v1/us1/rules/nftables?section=synthetics,webhooks&direction=ingress"
local cfn = "/v1/us1/rules/aws-cloudformation?section=logs"
local mix = {
  { list, {} },
  { list, { ["If-None-Match"] = os.getenv("LIST_ETAG") } },
  { rules, {} },
  { rules, { ["If-None-Match"] = os.getenv("RULES_ETAG") } },
  { rules, { ["Accept-Encoding"] = "gzip" } },
  { cfn, { ["Accept-Encoding"] = "gzip" } },
  { "/v1/us1/ip-ranges.json", { ["If-Modified-Since"] = os.getenv("DOC_DATE") } },
  { "/v1/us1/lists/logs.txt?family=ipv4&comments=true", {} },
}
local i = 0

request = function()
  i = i % #mix + 1
  return wrk.format("GET", mix[i][1], mix[i][2])
end

local errors = 0
response = function(status)
  if status ~= 200 and status ~= 304 then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d  errors(non-200/304 or socket) %d  p50 %.2f ms  p99 %.2f ms  rps %.0f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
