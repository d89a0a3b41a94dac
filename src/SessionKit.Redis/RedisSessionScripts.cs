namespace SessionKit.Redis;

/// <summary>
/// The Lua scripts behind every multi-step operation. Redis runs a script atomically, so no concurrent request
/// sees a half-done change; every key a script touches shares one hash tag (the subject's partition), so each
/// script runs on one Redis Cluster slot. Scripts receive "now" from the store's clock (Unix ms): expiry is
/// decided by the store's <see cref="TimeProvider"/>, while Redis TTLs (PEXPIREAT) only reclaim memory.
/// </summary>
/// <remarks>The record layout the scripts parse is described on <see cref="SessionRecordCodec"/>.</remarks>
internal static class RedisSessionScripts
{
    /// <summary>
    /// Parses and rebuilds the header of a packed record; shared by all scripts. A value that is not a session
    /// record (someone wrote to a key under the prefix) parses as <c>nil</c> and is treated as missing.
    /// </summary>
    private const string Prelude = """
        local function hdr(v)
          local nl = string.find(v, '\n', 1, true)
          if not nl then return nil end
          local ver, c, dl, di, da, n, sl = string.match(string.sub(v, 1, nl - 1), '^(%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%d+),(%d+)$')
          if not ver then return nil end
          local r = { ver = tonumber(ver), c = tonumber(c), n = tonumber(n), sl = tonumber(sl), body = nl + 1 }
          r.l = r.c + tonumber(dl)
          r.i = r.l + tonumber(di)
          r.a = r.c + tonumber(da)
          r.exp = math.min(r.i, r.a)
          return r
        end
        local function fmt(x) return string.format('%.0f', x) end
        local function header(r)
          return fmt(r.ver) .. ',' .. fmt(r.c) .. ',' .. fmt(r.l - r.c) .. ',' .. fmt(r.i - r.l) .. ',' .. fmt(r.a - r.c) .. ',' .. r.n .. ',' .. r.sl .. '\n'
        end
        local function subject(v, r) return string.sub(v, r.body, r.body + r.sl - 1) end

        """;

    /// <summary>
    /// KEYS: index, session. ARGV: now, max, value, created, expires, absolute, session base, hash, channel, partition.
    /// Prunes the subject index, evicts the oldest live sessions beyond the maximum, stores the new one.
    /// Returns the evicted hashes.
    /// </summary>
    public static readonly RedisScript Create = new(Prelude + """
        if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('SESSIONKIT session key already exists') end
        local now, max, base = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[7]
        local live, indexExpiry = {}, tonumber(ARGV[6])
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local v = redis.call('GET', base .. h)
          local r = v and hdr(v)
          if r and r.exp > now then
            live[#live + 1] = h
            if r.a > indexExpiry then indexExpiry = r.a end
          else
            redis.call('ZREM', KEYS[1], h)
            if v then redis.call('DEL', base .. h) end
          end
        end
        local evicted = {}
        if max > 0 then
          for k = 1, #live - max + 1 do
            local h = live[k]
            redis.call('DEL', base .. h)
            redis.call('ZREM', KEYS[1], h)
            redis.call('PUBLISH', ARGV[9], 'evicted:' .. ARGV[10] .. '.' .. h)
            evicted[#evicted + 1] = h
          end
        end
        redis.call('SET', KEYS[2], ARGV[3])
        redis.call('PEXPIREAT', KEYS[2], ARGV[5])
        redis.call('ZADD', KEYS[1], ARGV[4], ARGV[8])
        redis.call('PEXPIREAT', KEYS[1], fmt(indexExpiry))
        return evicted
        """);

    /// <summary>KEYS: session. ARGV: now, last seen, idle expiry. Returns 1 when touched.</summary>
    public static readonly RedisScript Touch = new(Prelude + """
        local v = redis.call('GET', KEYS[1])
        local r = v and hdr(v)
        if not r or r.exp <= tonumber(ARGV[1]) then return 0 end
        r.l, r.i = tonumber(ARGV[2]), tonumber(ARGV[3])
        redis.call('SET', KEYS[1], header(r) .. string.sub(v, r.body))
        redis.call('PEXPIREAT', KEYS[1], fmt(math.min(r.i, r.a)))
        return 1
        """);

    /// <summary>
    /// KEYS: session. ARGV: now, expected version, new value (version already incremented), subject, index base,
    /// session base, hash. Compare-and-set on the version and subject. Returns 1 when replaced.
    /// </summary>
    public static readonly RedisScript Update = new(Prelude + """
        local v = redis.call('GET', KEYS[1])
        local r = v and hdr(v)
        if not r or r.exp <= tonumber(ARGV[1]) or r.ver ~= tonumber(ARGV[2]) or subject(v, r) ~= ARGV[4] then return 0 end
        local n = hdr(ARGV[3])
        redis.call('SET', KEYS[1], ARGV[3])
        redis.call('PEXPIREAT', KEYS[1], fmt(n.exp))
        local index = ARGV[5] .. ARGV[4]
        if n.c ~= r.c then redis.call('ZADD', index, 'XX', fmt(n.c), ARGV[7]) end
        if n.a > r.a then
          local expiry = n.a
          for _, h in ipairs(redis.call('ZRANGE', index, 0, -1)) do
            local other = redis.call('GET', ARGV[6] .. h)
            local o = other and hdr(other)
            if o then expiry = math.max(expiry, o.a) end
          end
          redis.call('PEXPIREAT', index, fmt(expiry))
        end
        return 1
        """);

    /// <summary>KEYS: session. ARGV: now, index base, hash, channel, message. Returns 1 when a live session was deleted.</summary>
    public static readonly RedisScript Delete = new(Prelude + """
        local v = redis.call('GET', KEYS[1])
        if not v then return 0 end
        local r = hdr(v)
        redis.call('DEL', KEYS[1])
        if not r then return 0 end
        redis.call('ZREM', ARGV[2] .. subject(v, r), ARGV[3])
        if r.exp <= tonumber(ARGV[1]) then return 0 end
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """);

    /// <summary>KEYS: index. ARGV: now, session base. Returns hash, value, hash, value… of live sessions, oldest first.</summary>
    public static readonly RedisScript List = new(Prelude + """
        local now, base, out = tonumber(ARGV[1]), ARGV[2], {}
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local v = redis.call('GET', base .. h)
          local r = v and hdr(v)
          if r and r.exp > now then
            out[#out + 1] = h
            out[#out + 1] = v
          else
            redis.call('ZREM', KEYS[1], h)
            if v then redis.call('DEL', base .. h) end
          end
        end
        return out
        """);

    /// <summary>KEYS: index. ARGV: now, session base, channel, partition. Deletes all; returns the live hashes.</summary>
    public static readonly RedisScript DeleteBySubject = new(Prelude + """
        local now, base, out = tonumber(ARGV[1]), ARGV[2], {}
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local v = redis.call('GET', base .. h)
          if v then
            redis.call('DEL', base .. h)
            local r = hdr(v)
            if r and r.exp > now then
              out[#out + 1] = h
              redis.call('PUBLISH', ARGV[3], 'subject:' .. ARGV[4] .. '.' .. h)
            end
          end
        end
        redis.call('DEL', KEYS[1])
        return out
        """);

    /// <summary>
    /// KEYS: index. ARGV: now, session base, claims tail, channel, partition. Swaps the claims tail of every live
    /// session and increments its version; returns the updated hashes.
    /// </summary>
    public static readonly RedisScript UpdateClaims = new(Prelude + """
        local now, base, out = tonumber(ARGV[1]), ARGV[2], {}
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local v = redis.call('GET', base .. h)
          local r = v and hdr(v)
          if r and r.exp > now then
            r.ver = r.ver + 1
            redis.call('SET', base .. h, header(r) .. string.sub(v, r.body, r.body + r.n - 1) .. ARGV[3])
            redis.call('PEXPIREAT', base .. h, fmt(r.exp))
            redis.call('PUBLISH', ARGV[4], 'claims:' .. ARGV[5] .. '.' .. h)
            out[#out + 1] = h
          else
            redis.call('ZREM', KEYS[1], h)
            if v then redis.call('DEL', base .. h) end
          end
        end
        return out
        """);
}
