-- wrk script: each connection waits PACE_MS milliseconds between requests, so that
-- connections / (pause + latency) sets the offered rate (bench/sessions/run, half-peak runs).
local pause = tonumber(os.getenv("PACE_MS") or "0")

function delay()
  return pause
end
