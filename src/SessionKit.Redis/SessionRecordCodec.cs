using System.Buffers;
using System.Globalization;
using System.Text;

namespace SessionKit.Redis;

/// <summary>
/// The compact packed string a session is stored as: one Redis string per session (the smallest Redis value,
/// one allocation), with a short ASCII header the Lua scripts read and rewrite, then a binary body they copy as is.
/// </summary>
/// <remarks>
/// <para>Layout: <c>{version},{created},{lastSeen-created},{idle-lastSeen},{absolute-created},{fixedLength},{subjectLength}\n{fixed}{claims}</c>.
/// Times are Unix milliseconds; all but the creation time are stored as deltas (7 or 8 digits instead of 13).
/// <c>fixed</c> is the subject's UTF-8 bytes followed by the client IP and user agent; <c>claims</c> holds the claims
/// and permissions, so the claims-update script replaces exactly that tail. Strings in the body are length-prefixed
/// (a 7-bit varint; 0 marks <see langword="null"/>, otherwise length + 1), so any content round-trips.</para>
/// <para>A hash would add field names and per-entry headers and still need the claim and permission lists packed
/// into fields; one string is one allocation and keeps a typical session under 300 bytes (see the README).</para>
/// </remarks>
internal static class SessionRecordCodec
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes the whole record, with <paramref name="version"/> in the header.</summary>
    public static byte[] Encode(SessionRecord record, long version)
    {
        var fixedPart = EncodeFixed(record, out var subjectLength);
        var claims = EncodeClaims(record.Claims, record.Permissions);
        var created = ToMs(record.CreatedAt);
        var lastSeen = ToMs(record.LastSeenAt);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{version},{created},{lastSeen - created},{ToMs(record.IdleExpiresAt) - lastSeen},{ToMs(record.AbsoluteExpiresAt) - created},{fixedPart.Length},{subjectLength}\n");
        var result = new byte[header.Length + fixedPart.Length + claims.Length];
        Encoding.ASCII.GetBytes(header, result);
        fixedPart.CopyTo(result, header.Length);
        claims.CopyTo(result, header.Length + fixedPart.Length);
        return result;
    }

    /// <summary>The subject's UTF-8 bytes as the update script compares them with the stored subject.</summary>
    public static byte[] EncodeSubject(string subject) => Utf8.GetBytes(subject);

    /// <summary>Encodes the claims tail alone (the claims-update script swaps it in).</summary>
    public static byte[] EncodeClaims(IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteVarint(writer, (ulong)claims.Count);
        foreach (var claim in claims)
        {
            WriteString(writer, claim.Type);
            WriteString(writer, claim.Value);
        }

        WriteVarint(writer, (ulong)permissions.Count);
        foreach (var permission in permissions)
        {
            WriteString(writer, permission);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a stored value; <see langword="null"/> when it is not in this format.</summary>
    public static SessionRecord? Decode(SessionKey key, ReadOnlySpan<byte> value)
    {
        try
        {
            return DecodeCore(key, value);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static SessionRecord DecodeCore(SessionKey key, ReadOnlySpan<byte> value)
    {
        var newline = value.IndexOf((byte)'\n');
        if (newline < 0)
        {
            throw new FormatException("No header.");
        }

        Span<long> numbers = stackalloc long[7];
        var header = value[..newline];
        for (var i = 0; i < numbers.Length; i++)
        {
            var comma = header.IndexOf((byte)',');
            var field = comma < 0 ? header : header[..comma];
            numbers[i] = long.Parse(Encoding.ASCII.GetString(field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            header = comma < 0 ? [] : header[(comma + 1)..];
        }

        var (version, created, lastSeen, idle, absolute, fixedLength, subjectLength) =
            (numbers[0], numbers[1], numbers[1] + numbers[2], numbers[1] + numbers[2] + numbers[3], numbers[1] + numbers[4], (int)numbers[5], (int)numbers[6]);
        var body = value[(newline + 1)..];
        var subject = Utf8.GetString(body[..subjectLength]);
        var position = subjectLength;
        var ip = ReadString(body, ref position);
        var agent = ReadString(body, ref position);
        if (position != fixedLength)
        {
            throw new FormatException("Fixed part length mismatch.");
        }

        var claims = new SessionClaim[checked((int)ReadVarint(body, ref position))];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = new SessionClaim(ReadString(body, ref position) ?? "", ReadString(body, ref position) ?? "");
        }

        var permissions = new string[checked((int)ReadVarint(body, ref position))];
        for (var i = 0; i < permissions.Length; i++)
        {
            permissions[i] = ReadString(body, ref position) ?? "";
        }

        return new SessionRecord
        {
            Key = key,
            Subject = subject,
            CreatedAt = FromMs(created),
            LastSeenAt = FromMs(lastSeen),
            IdleExpiresAt = FromMs(idle),
            AbsoluteExpiresAt = FromMs(absolute),
            Claims = claims,
            Permissions = permissions,
            Client = ip is null && agent is null ? SessionClientInfo.None : new SessionClientInfo(ip, agent),
            Version = version,
        };
    }

    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static byte[] EncodeFixed(SessionRecord record, out int subjectLength)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        subjectLength = checked((int)Utf8.GetBytes(record.Subject, writer));
        WriteString(writer, record.Client.IpAddress);
        WriteString(writer, record.Client.UserAgent);
        return writer.WrittenSpan.ToArray();
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            WriteVarint(writer, 0);
            return;
        }

        WriteVarint(writer, (ulong)Utf8.GetByteCount(value) + 1);
        Utf8.GetBytes(value, writer);
    }

    private static string? ReadString(ReadOnlySpan<byte> body, ref int position)
    {
        var length = ReadVarint(body, ref position);
        if (length == 0)
        {
            return null;
        }

        var bytes = body.Slice(position, checked((int)length - 1));
        position += bytes.Length;
        return Utf8.GetString(bytes);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> body, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = body[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("Varint too long.");
    }
}
