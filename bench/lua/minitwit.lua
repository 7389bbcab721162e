-- Tweets, follows and unfollows among the users the replay registered, over
-- keep-alive connections, in the simulator's proportions.
local users = 200
local auth = "Basic c2ltdWxhdG9yOnN1cGVyX3NhZmUh"
local n = 0
request = function()
  n = n + 1
  local a = math.random(0, users - 1)
  local b = math.random(0, users - 1)
  local path = "/fllws/Bench%20User%20" .. a .. "?latest=" .. n
  local roll = math.random()
  local body
  if roll < 0.44 then
    path = "/msgs/Bench%20User%20" .. a .. "?latest=" .. n
    body = '{"content":"concurrent message ' .. n .. '"}'
  elseif roll < 0.82 then
    body = '{"follow":"Bench User ' .. b .. '"}'
  else
    body = '{"unfollow":"Bench User ' .. b .. '"}'
  end
  return wrk.format("POST", path, {["Host"] = "api.localhost", ["Authorization"] = auth,
    ["Content-Type"] = "application/json"}, body)
end
