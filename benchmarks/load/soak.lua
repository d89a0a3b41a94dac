-- Mixed session traffic for the soak test (benchmarks/load/soak.sh), a wrk script.
--
-- Each cycle: sign in, SOAK_GETS authenticated GETs, then either log out and check that the credential is refused
-- (401), or abandon the session (a share SOAK_ABANDON of the cycles, spread evenly) so that it expires on the store.
-- Every SOAK_THINK_EVERY-th cycle pauses SOAK_THINK_MS before its last GET (a user reading a page): soak.sh makes
-- that pause longer than the touch threshold (10 % of the idle timeout by default), so that GET also writes the
-- session's new last-seen time (a touch), and touched sessions are logged out or left to expire like the others.
-- Cycles alternate between the two flavours:
--   jwt:    POST /login (root)       -> GET /member   -> POST /logout      -> GET /member   (401)
--   cookie: POST /user/login (admin) -> GET /user/me  -> POST /user/logout -> GET /user/me  (401)
-- A new cycle always signs in again: an abandoned session is never used again, so every expected status is exact
-- (200, and 401 only for the check after a logout).
--
-- wrk keeps no per-connection state for scripts (request() and response() do not say which connection they are for),
-- so soak.sh runs ONE connection per thread (-tN -cN): each thread's Lua state then follows exactly one connection,
-- whose requests and responses strictly alternate. delay() paces every request (SOAK_DELAY_MS, ±50 % jitter), so the
-- rate is bounded: about N × 1000 / (SOAK_DELAY_MS + latency) requests/s.
--
-- Counts by "flavour-step<TAB>status" are kept per thread (global `counts`) and summed in done() through the thread
-- objects; done() writes them to SOAK_COUNTS (TSV: step, status, count, kind) with kind = ok | error | rate-limited,
-- then "#name" rows (cycles, abandoned, errors, …) and "@abandoned_at" rows ("sign-in second,last-use second", count).

local function env_number(name, default)
    local value = tonumber(os.getenv(name) or "")
    if value == nil then return default end
    return value
end

local GETS     = env_number("SOAK_GETS", 8)
local ABANDON  = env_number("SOAK_ABANDON", 0.3)
local DELAY_MS = env_number("SOAK_DELAY_MS", 100)
local THINK_MS = env_number("SOAK_THINK_MS", 7000)
local THINK_EVERY = env_number("SOAK_THINK_EVERY", 4)

local FLAVOURS = {
    jwt = {
        login = "/login", get = "/member", logout = "/logout",
        credentials = '{"username":"root","password":"password"}',
    },
    cookie = {
        login = "/user/login", get = "/user/me", logout = "/user/logout",
        credentials = '{"username":"admin","password":"admin"}',
    },
}

-- Expected status of each step; anything else is an error (429 on a sign-in is counted apart).
local EXPECTED = { login = 200, get = 200, logout = 200, revoked = 401 }

-- ---------------------------------------------------------------- main state: one entry per thread, summed in done()
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("id", #threads)
end

-- ---------------------------------------------------------------- thread state (one connection)
counts = {}        -- "flavour-step\tstatus" -> n
cycles = 0         -- cycles started (sign-ins sent)
abandoned = 0      -- cycles whose session was left to expire (after its last GET answered)
logged_out = 0     -- cycles whose logout answered 200
unanswered = 0     -- requests wrk sent again without a response to the previous one (socket error, reconnect)
bad_credential = 0 -- sign-ins answering 200 without a token / cookie we could parse
abandoned_at = {}  -- "sign-in second,last-use second" (Unix) -> sessions abandoned then (which should still be live)
step, awaiting = "login", false -- where this connection's cycle is (globals: done() reads them to count live sessions)

local flavour, gets_left, credential, answered, first_delay, pending, signed_in_at, think
local flavour_cycles, nth = { jwt = 0, cookie = 0 }, 0 -- cycles per flavour; this cycle's number in its flavour

function init(args)
    math.randomseed(os.time() * 1000 + (id or 0) * 7919)
    cycles, flavour, step, awaiting, answered, first_delay = 0, nil, "login", false, 0, true
end

local function count(name, status)
    local key = flavour .. "-" .. name .. "\t" .. status
    counts[key] = (counts[key] or 0) + 1
end

-- The n-th cycle of a flavour abandons its session when floor((n + offset) × share) steps up: the share exactly, in
-- each flavour, spread evenly. The offset differs per thread so that the connections, which run at about the same
-- pace, do not abandon in step.
local function abandons(n)
    local m = n + 3 * (id or 0)
    return math.floor(m * ABANDON) > math.floor((m - 1) * ABANDON)
end

-- Every THINK_EVERY-th cycle of a flavour pauses, also offset per thread.
local function thinks(n)
    return THINK_EVERY > 0 and (n + (id or 0)) % THINK_EVERY == 0
end

local function start_cycle()
    cycles = cycles + 1
    -- Threads start on different flavours so that both run from the first second.
    flavour = ((cycles + (id or 0)) % 2 == 0) and "jwt" or "cookie"
    flavour_cycles[flavour] = flavour_cycles[flavour] + 1
    nth = flavour_cycles[flavour]
    step, gets_left, credential, think = "login", GETS, nil, false
end

function delay()
    if first_delay then -- spread the connections' first requests over one delay
        first_delay = false
        return math.random(0, DELAY_MS)
    end
    if think then
        think = false
        return THINK_MS
    end
    return math.floor(DELAY_MS * (0.5 + math.random()))
end

local function auth_headers()
    if flavour == "jwt" then return { ["Authorization"] = "Bearer " .. credential } end
    return { ["Cookie"] = credential }
end

local function build()
    local f = FLAVOURS[flavour]
    if step == "login" then
        return wrk.format("POST", f.login, { ["Content-Type"] = "application/json" }, f.credentials)
    elseif step == "get" or step == "revoked" then
        return wrk.format("GET", f.get, auth_headers(), nil)
    else -- logout
        return wrk.format("POST", f.logout, auth_headers(), "")
    end
end

function request()
    if awaiting then
        if answered == 0 then
            -- wrk's own check of the script (one call in the first thread, never sent): send that request now.
            return pending
        end
        -- The previous request got no response (wrk reconnected after a socket error): count it, start over.
        unanswered = unanswered + 1
        step = "login"
    end
    if step == "login" then
        start_cycle()
    end
    awaiting = true
    pending = build()
    return pending
end

local function header(headers, name)
    for k, v in pairs(headers) do
        if string.lower(k) == name then return v end
    end
    return nil
end

local function parse_credential(headers, body)
    if flavour == "jwt" then
        return body and string.match(body, '"access_token"%s*:%s*"([^"]+)"')
    end
    local cookie = header(headers, "set-cookie")
    local value = cookie and string.match(cookie, "(__Host%-session=[^;]+)")
    return value
end

function response(status, headers, body)
    if not awaiting then return end
    awaiting = false
    answered = answered + 1
    count(step, status)
    local ok = status == EXPECTED[step]

    if step == "login" then
        if ok then
            credential = parse_credential(headers, body)
            if credential then
                step, signed_in_at = "get", os.time()
            else
                bad_credential = bad_credential + 1 -- retry the sign-in
            end
        end
        -- a failed sign-in is retried by the next request (step stays "login")
    elseif step == "get" then
        if not ok then
            step = "login"
            return
        end
        gets_left = gets_left - 1
        think = gets_left == 1 and thinks(nth)
        if gets_left <= 0 then
            if abandons(nth) then
                abandoned = abandoned + 1
                local at = string.format("%d,%d", signed_in_at, os.time())
                abandoned_at[at] = (abandoned_at[at] or 0) + 1
                step = "login"
            else
                step = "logout"
            end
        end
    elseif step == "logout" then
        if ok then
            logged_out = logged_out + 1
            step = "revoked"
        else
            step = "login"
        end
    else -- revoked
        step = "login"
    end
end

-- ---------------------------------------------------------------- main state: sum the threads and write the counts
function done(summary, latency, requests)
    local total, totals = {}, { cycles = 0, abandoned = 0, logged_out = 0, unanswered = 0, bad_credential = 0 }
    local at, live_in_cycle, maybe_in_cycle = {}, 0, 0
    for _, thread in ipairs(threads) do
        for key, n in pairs(thread:get("counts") or {}) do
            total[key] = (total[key] or 0) + n
        end
        for second, n in pairs(thread:get("abandoned_at") or {}) do
            at[second] = (at[second] or 0) + n
        end
        -- The session of the cycle under way when wrk stopped: signed in and not logging out yet (live), or a sign-in
        -- or logout sent whose answer wrk did not wait for (maybe live).
        local last_step, last_awaiting = thread:get("step"), thread:get("awaiting")
        if last_step == "get" or (last_step == "logout" and not last_awaiting) then
            live_in_cycle = live_in_cycle + 1
        elseif last_awaiting and (last_step == "login" or last_step == "logout") then
            maybe_in_cycle = maybe_in_cycle + 1
        end
        for name, _ in pairs(totals) do
            totals[name] = totals[name] + (thread:get(name) or 0)
        end
    end

    local keys = {}
    for key, _ in pairs(total) do table.insert(keys, key) end
    table.sort(keys)

    local path = os.getenv("SOAK_COUNTS") or "soak-counts.tsv"
    local out = assert(io.open(path, "w"))
    out:write("step\tstatus\tcount\tkind\n")
    local errors = 0
    for _, key in ipairs(keys) do
        local name, status = string.match(key, "^(.-)\t(%d+)$")
        local step_name = string.match(name, "%-(%a+)$")
        local code = tonumber(status)
        local kind = "ok"
        if code ~= EXPECTED[step_name] then
            if step_name == "login" and code == 429 then kind = "rate-limited" else kind = "error" end
        end
        if kind == "error" then errors = errors + total[key] end
        out:write(string.format("%s\t%s\t%d\t%s\n", name, status, total[key], kind))
    end
    errors = errors + totals.unanswered + totals.bad_credential
    for _, name in ipairs({ "cycles", "abandoned", "logged_out", "unanswered", "bad_credential" }) do
        out:write(string.format("#%s\t\t%d\t\n", name, totals[name]))
    end
    local seconds = {}
    for second, _ in pairs(at) do table.insert(seconds, second) end
    table.sort(seconds)
    for _, second in ipairs(seconds) do
        out:write(string.format("@abandoned_at\t%s\t%d\t\n", second, at[second]))
    end
    local e = summary.errors
    out:write(string.format("#socket_errors\t\t%d\t\n", e.connect + e.read + e.write))
    out:write(string.format("#slower_than_timeout\t\t%d\t\n", e.timeout))
    out:write(string.format("#requests\t\t%d\t\n", summary.requests))
    out:write(string.format("#live_in_cycle\t\t%d\t\n", live_in_cycle))
    out:write(string.format("#maybe_in_cycle\t\t%d\t\n", maybe_in_cycle))
    out:write(string.format("#errors\t\t%d\t\n", errors + e.connect + e.read + e.write))
    out:close()
end
