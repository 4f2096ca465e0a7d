-- wrk script: POST a contract-shaped bid request, rotating over buyers sim-001 .. sim-<BUYERS>.
local buyers = tonumber(os.getenv("BUYERS") or "100")
wrk.method = "POST"
wrk.body = '{"ping_id":"p-1","campaign":"auto","vertical":"auto-insurance","tmax_ms":120,"test":false,'
  .. '"lead":{"zip":"90210","state":"CA","age":40,"score":55},"sale_modes":["exclusive"]}'
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, string.format("/buyers/sim-%03d/bid", (n % buyers) + 1))
end
