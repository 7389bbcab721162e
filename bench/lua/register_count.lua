-- POST /v1/register with unique names; each thread stops after STOP_AFTER
-- answers (set with `-- <n>` on wrk's command line), so a run is a count, not a time.
local counter = 0
local answered = 0
local stop_after = 5000
local prefix = tostring(os.time()) .. tostring(math.random(100000))
function init(args)
  stop_after = tonumber(args[1]) or stop_after
end
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
  answered = answered + 1
  if status ~= 201 then
    io.stderr:write("status " .. status .. "\n")
  end
  if answered >= stop_after then
    wrk.thread:stop()
  end
end
