-- POST /v1/register with unique names (prefix `mem`) and reports any answer
-- but 201 on stderr. bench/auth.sh stops it once enough accounts exist.
local counter = 0
local prefix = tostring(os.time()) .. tostring(math.random(100000))
function setup(thread)
  thread:set("tid", tostring(math.random(1000000000)))
end
request = function()
  counter = counter + 1
  local name = "mem" .. prefix .. tid .. "x" .. counter
  local body = '{"username":"' .. name .. '","email":"' .. name .. '@example.org","password":"benchmark password"}'
  return wrk.format("POST", "/v1/register", {["Content-Type"] = "application/json", ["Host"] = "auth.localhost"}, body)
end
response = function(status)
  if status ~= 201 then
    io.stderr:write("status " .. status .. "\n")
  end
end
