using System.Buffers.Text;
using System.Security.Cryptography;
using SessionKit.Redis;
using StackExchange.Redis;

namespace SessionKit.Benchmarks;

/// <summary>Fills a Redis database with other users' sessions and makes session records, for the Redis benchmarks.</summary>
internal static class RedisBenchmarkData
{
    // One session key and one subject-index key per other user, named and sized like SessionKit's. A Lua loop
    // fills 1 M users in seconds, where going through the store would take minutes.
    private const string Fill = """
        local prefix, from, to, value = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
        for i = from, to do
          local p = string.format('%08x', i)
          local h = redis.sha1hex(p) .. 'abc'
          redis.call('SET', prefix .. '{' .. p .. '}:s:' .. h, value, 'PX', 28800000)
          redis.call('ZADD', prefix .. '{' .. p .. '}:u:other-' .. i, i, h)
          redis.call('PEXPIRE', prefix .. '{' .. p .. '}:u:other-' .. i, 28800000)
        end
        return to
        """;

    /// <summary>Stores <paramref name="users"/> other users with one session each in database <paramref name="database"/>.</summary>
    public static void FillOtherUsers(string connectionString, int database, int users)
    {
        using var admin = ConnectionMultiplexer.Connect(connectionString + ",syncTimeout=120000");
        var db = admin.GetDatabase(database, null);
        var value = new string('x', 180);   // about the packed size of a session with 3 permissions
        for (var from = 1; from <= users; from += 50_000)
        {
            var to = Math.Min(users, from + 49_999);
            db.ScriptEvaluate(Fill, null, ["sessionkit:", from, to, value], CommandFlags.None);
        }

        var server = admin.GetServer(admin.GetEndPoints(false)[0], null);
        if (server.DatabaseSize(database, CommandFlags.None) != 2L * users)
        {
            throw new InvalidOperationException($"Expected {2L * users} keys in database {database}.");
        }
    }

    /// <summary>A session as the sample's cookie login makes it: a name claim and three permissions.</summary>
    public static SessionRecord NewSession(string subject)
    {
        var created = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new SessionRecord
        {
            Key = new SessionKey(RedisPartitions.New(), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))),
            Subject = subject,
            CreatedAt = created,
            LastSeenAt = created,
            IdleExpiresAt = created.AddMinutes(30),
            AbsoluteExpiresAt = created.AddHours(8),
            Claims = [new SessionClaim(SessionKitClaimTypes.Name, "john.doe@email.com")],
            Permissions = ["CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS"],
        };
    }
}
