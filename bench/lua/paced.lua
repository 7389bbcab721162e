-- Paces each connection: after every answer it waits a random 0 to 2 x PACE_MS
-- milliseconds (mean PACE_MS) before the next request, so 32 connections offer
-- a steady load below saturation instead of as much as the machine can take.
local pace = tonumber(os.getenv("PACE_MS") or "13")
delay = function()
  return math.random() * 2 * pace
end
