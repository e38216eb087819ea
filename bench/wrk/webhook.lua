-- wrk script: POSTs INCOMING webhooks form-encoded, as the PBX does, each with its own call id
-- (so the bridge would treat every one as a new call). The fields and their order are those of
-- src/Simulators VatsScenarios.Event("INCOMING", ...) as the .NET driver sends them.
--   CRM_TOKEN=... wrk -t2 -c16 -d10s -s bench/wrk/webhook.lua http://127.0.0.1:PORT/api/vats/webhook
-- done() prints one line "WRK_JSON {...}" (latencies in microseconds) for the harness to read.

local token = os.getenv("CRM_TOKEN") or "bench-crm-token-0123456789"
local threads = {}
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  prefix = "wrk-" .. tostring(id) .. "-" .. tostring(os.time()) .. "-"
end

function request()
  counter = counter + 1
  local body = "cmd=event&type=INCOMING&phone=79101234567&callid=" .. prefix .. counter ..
    "&user=alexey&telnum=74950000001&diversion=74950000001&ext=703&crm_token=" .. token
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests":%d,"errors":%d,"status_errors":%d,"duration_us":%d,"mean_us":%.1f,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, errors, summary.errors.status, summary.duration, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max))
end
