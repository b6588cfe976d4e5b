-- The load of bench/startup/measure.sh: login, GET /api/trace and POST /api/orders in turn, with the
-- token in TOKEN, until REQUESTS responses have come back (one wrk thread). wrk itself would wait for its whole
-- duration, so the process ends here; the gateway's metrics count the responses by status.
local token = os.getenv("TOKEN")
local limit = tonumber(os.getenv("REQUESTS") or "2000")
local sent, done = 0, 0

function request()
  sent = sent + 1
  local kind = sent % 3
  if kind == 0 then
    return wrk.format("POST", "/auth/login", { ["Content-Type"] = "application/json" },
      '{"username":"alice","password":"alice"}')
  elseif kind == 1 then
    return wrk.format("GET", "/api/trace", { ["Authorization"] = "Bearer " .. token })
  end
  return wrk.format("POST", "/api/orders", { ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json", ["Idempotency-Key"] = "startup-" .. os.time() .. "-" .. sent },
    '{"amount":0.01,"description":"startup bench"}')
end

function response(status, headers, body)
  done = done + 1
  if done >= limit then
    os.exit(0)
  end
end
