namespace SessionKit.Redis;

/// <summary>
/// The Lua scripts behind every multi-step operation. Redis runs a script atomically, so no concurrent request sees a
/// half-done change; every key a script touches shares one hash tag (the subject's partition), so each script runs on
/// one Redis Cluster slot. Scripts receive "now" from the store's clock (Unix ms): expiry is decided by the store's
/// <see cref="TimeProvider"/>, while Redis TTLs (PEXPIREAT) only reclaim memory.
/// </summary>
/// <remarks>The record layout the scripts parse is described on <see cref="SessionRecordCodec"/>.</remarks>
internal static class RedisSessionScripts
{
    /// <summary>
    /// Parses and rebuilds the header of a packed record, and reads a subject's latest claims; shared by all scripts.
    /// A value that is not a record of this format (another release's, or someone wrote to a key under the prefix)
    /// parses as <c>nil</c> and is treated as missing.
    /// </summary>
    private const string Prelude = """
        local function hdr(v)
          local nl = string.find(v, '\n', 1, true)
          if not nl then return nil end
          local ver, c, dl, di, da, cv, fl, sl, cl = string.match(string.sub(v, 1, nl - 1), '^S2,(%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%d+),(%d+),(%d+),(%d+)$')
          if not ver then return nil end
          local r = { ver = tonumber(ver), c = tonumber(c), cv = tonumber(cv), fl = tonumber(fl), sl = tonumber(sl), cl = tonumber(cl), body = nl + 1 }
          r.l = r.c + tonumber(dl)
          r.i = r.l + tonumber(di)
          r.a = r.c + tonumber(da)
          r.exp = math.min(r.i, r.a)
          return r
        end
        local function fmt(x) return string.format('%.0f', x) end
        local function header(r)
          return 'S2,' .. fmt(r.ver) .. ',' .. fmt(r.c) .. ',' .. fmt(r.l - r.c) .. ',' .. fmt(r.i - r.l) .. ',' .. fmt(r.a - r.c) .. ',' .. fmt(r.cv) .. ',' .. r.fl .. ',' .. r.sl .. ',' .. r.cl .. '\n'
        end
        local function subject(v, r) return string.sub(v, r.body, r.body + r.sl - 1) end
        local function fixed(v, r) return string.sub(v, r.body, r.body + r.fl - 1) end
        local function data(v, r) return string.sub(v, r.body + r.fl + r.cl) end
        local function withclaims(v, r, claims, cv)
          local f, d = fixed(v, r), data(v, r)
          r.cl, r.cv = #claims, cv
          return header(r) .. f .. claims .. d
        end
        local function latest(key)
          local s = redis.call('GET', key)
          if not s then return 0, nil end
          local nl = string.find(s, '\n', 1, true)
          return tonumber(string.sub(s, 1, nl - 1)), string.sub(s, nl + 1)
        end
        local function extend(key, untilms)
          local ttl = redis.call('PTTL', key)
          local now = tonumber(ARGV[1])
          if ttl < 0 or now + ttl < untilms then redis.call('PEXPIREAT', key, fmt(untilms)) end
        end

        """;

    /// <summary>
    /// KEYS: partition map. ARGV: now, proposed partition, keep-until (ms). Returns the subject's partition: the one it
    /// has, or the proposed one; keeps the map entry at least until keep-until.
    /// </summary>
    public static readonly RedisScript Partition = new(Prelude + """
        local p = redis.call('GET', KEYS[1])
        if not p then
          p = ARGV[2]
          redis.call('SET', KEYS[1], p)
        end
        extend(KEYS[1], tonumber(ARGV[3]))
        return p
        """);

    /// <summary>
    /// KEYS: index, session, subject claims. ARGV: now, max, value, created, expires, absolute, session base, hash,
    /// channel, partition. Prunes the subject index, evicts the oldest live sessions beyond the maximum, stores the
    /// session — with the subject's latest claims when they are newer than its own. Returns { evicted hashes, the stored
    /// value when it differs from ARGV[3] (else false) }.
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
        local value, changed = ARGV[3], false
        local v, claims = latest(KEYS[3])
        if claims then
          local r = hdr(value)
          if r.cv == 0 then
            r.cv = v
            value, changed = header(r) .. string.sub(value, r.body), true
          elseif r.cv < v then
            value, changed = withclaims(value, r, claims, v), true
          end
          extend(KEYS[3], tonumber(ARGV[6]))
        end
        redis.call('SET', KEYS[2], value)
        redis.call('PEXPIREAT', KEYS[2], ARGV[5])
        redis.call('ZADD', KEYS[1], ARGV[4], ARGV[8])
        redis.call('PEXPIREAT', KEYS[1], fmt(indexExpiry))
        return { evicted, changed and value or false }
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
    /// KEYS: session. ARGV: now, expected version, new value (version already incremented), subject, scheme (encoded as
    /// in the record), index base, session base, hash. Compare-and-set on the version, subject and scheme. Returns 1 when
    /// replaced.
    /// </summary>
    public static readonly RedisScript Update = new(Prelude + """
        local v = redis.call('GET', KEYS[1])
        local r = v and hdr(v)
        if not r or r.exp <= tonumber(ARGV[1]) or r.ver ~= tonumber(ARGV[2]) or subject(v, r) ~= ARGV[4] then return 0 end
        if string.sub(v, r.body + r.sl, r.body + r.sl + #ARGV[5] - 1) ~= ARGV[5] then return 0 end
        local n = hdr(ARGV[3])
        redis.call('SET', KEYS[1], ARGV[3])
        redis.call('PEXPIREAT', KEYS[1], fmt(n.exp))
        local index = ARGV[6] .. ARGV[4]
        if n.c ~= r.c then redis.call('ZADD', index, 'XX', fmt(n.c), ARGV[8]) end
        if n.a > r.a then extend(index, n.a) end
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

    /// <summary>
    /// KEYS: index. ARGV: now, session base, after score, after hash, limit (0: all). Returns hash, value, hash, value… of
    /// live sessions, oldest first, strictly after (score, hash) when given.
    /// </summary>
    public static readonly RedisScript List = new(Prelude + """
        local now, base, out = tonumber(ARGV[1]), ARGV[2], {}
        local afterScore, afterHash, limit, n = tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), 0
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local v = redis.call('GET', base .. h)
          local r = v and hdr(v)
          if r and r.exp > now then
            if afterScore < 0 or r.c > afterScore or (r.c == afterScore and h > afterHash) then
              if limit == 0 or n < limit then
                out[#out + 1] = h
                out[#out + 1] = v
                n = n + 1
              end
            end
          else
            redis.call('ZREM', KEYS[1], h)
            if v then redis.call('DEL', base .. h) end
          end
        end
        return out
        """);

    /// <summary>
    /// KEYS: index. ARGV: now, session base, channel, partition, hash to keep (or empty). Deletes the others; returns
    /// the live hashes deleted.
    /// </summary>
    public static readonly RedisScript DeleteBySubject = new(Prelude + """
        local now, base, out, keep = tonumber(ARGV[1]), ARGV[2], {}, ARGV[5]
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          if h ~= keep then
            local v = redis.call('GET', base .. h)
            redis.call('ZREM', KEYS[1], h)
            if v then
              redis.call('DEL', base .. h)
              local r = hdr(v)
              if r and r.exp > now then
                out[#out + 1] = h
                redis.call('PUBLISH', ARGV[3], 'subject:' .. ARGV[4] .. '.' .. h)
              end
            end
          end
        end
        return out
        """);

    /// <summary>
    /// KEYS: index, subject claims. ARGV: now, session base, claims part, version (0: latest + 1), keep-until, channel,
    /// partition. Unless the subject already has claims of this version or newer: remembers them and swaps them into
    /// every live session with an older claims version (version + 1). Returns { applied (0/1), version, updated hashes }.
    /// </summary>
    public static readonly RedisScript UpdateClaims = new(Prelude + """
        local now, base, out = tonumber(ARGV[1]), ARGV[2], {}
        local current = latest(KEYS[2])
        local version = tonumber(ARGV[4])
        if version == 0 then version = current + 1 end
        if version <= current then return { 0, fmt(current), out } end
        local keep = tonumber(ARGV[5])
        for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local v = redis.call('GET', base .. h)
          local r = v and hdr(v)
          if r and r.exp > now then
            if r.a > keep then keep = r.a end
            if r.cv < version then
              r.ver = r.ver + 1
              redis.call('SET', base .. h, withclaims(v, r, ARGV[3], version))
              redis.call('PEXPIREAT', base .. h, fmt(r.exp))
              redis.call('PUBLISH', ARGV[6], 'claims:' .. ARGV[7] .. '.' .. h)
              out[#out + 1] = h
            end
          else
            redis.call('ZREM', KEYS[1], h)
            if v then redis.call('DEL', base .. h) end
          end
        end
        redis.call('SET', KEYS[2], fmt(version) .. '\n' .. ARGV[3])
        redis.call('PEXPIREAT', KEYS[2], fmt(keep))
        return { 1, fmt(version), out }
        """);
}
