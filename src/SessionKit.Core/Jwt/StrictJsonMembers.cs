using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace SessionKit.Jwt;

/// <summary>
/// Stricter JSON rules than the token library's for the header and claims of a token that already passed its
/// signature check: member names unique (RFC 7519 §4 allows "last one wins", SessionKit refuses instead, so no two
/// parsers can disagree), names written without escapes, and <c>sid</c> and <c>sub</c> JSON strings (the library
/// reads a numeric <c>sub</c> as a string).
/// </summary>
internal static class StrictJsonMembers
{
    private const int MaxMembers = 32;
    private const int StackBufferBytes = 1024;

    /// <summary>Whether a base64url-encoded JSON object keeps the rules above.</summary>
    /// <param name="encoded">The segment, as in the compact serialization.</param>
    /// <param name="isClaims">Whether it is the claims set (then <c>sid</c> and <c>sub</c> must be strings).</param>
    public static bool Check(ReadOnlySpan<char> encoded, bool isClaims)
    {
        var maxBytes = Base64Url.GetMaxDecodedLength(encoded.Length);
        byte[]? rented = null;
        // Sized to the segment, not to the limit: stack buffers are zeroed, and this runs on every request.
        var buffer = maxBytes <= StackBufferBytes ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            return Base64Url.DecodeFromChars(encoded, buffer, out _, out var written) == OperationStatus.Done
                   && CheckObject(buffer[..written], isClaims);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool CheckObject(ReadOnlySpan<byte> json, bool isClaims)
    {
        var reader = new Utf8JsonReader(json);
        Span<(int Start, int Length)> names = stackalloc (int, int)[MaxMembers];
        var count = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped || count == MaxMembers)
                {
                    return false;
                }

                var name = reader.ValueSpan;
                for (var i = 0; i < count; i++)
                {
                    if (json.Slice(names[i].Start, names[i].Length).SequenceEqual(name))
                    {
                        return false;
                    }
                }

                names[count++] = ((int)reader.TokenStartIndex + 1, name.Length);
                var mustBeString = isClaims && (name.SequenceEqual("sid"u8) || name.SequenceEqual("sub"u8));
                if (!reader.Read() || (mustBeString && reader.TokenType != JsonTokenType.String))
                {
                    return false;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
