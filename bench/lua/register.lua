-- POST /v1/register with a unique username and email per request.
local counter = 0
local prefix = tostring(os.time()) .. tostring(math.random(100000))
function setup(thread)
  thread:set("tid", tostring(math.random(1000000000)))
end
request = function()
  counter = counter + 1
  local name = "bench" .. prefix .. tid .. "x" .. counter
  local body = '{"username":"' .. name .. '","email":"' .. name .. '@example.org","password":"benchmark password"}'
  return wrk.format("POST", "/v1/register", {["Content-Type"] = "application/json", ["Host"] = "auth.localhost"}, body)
end
