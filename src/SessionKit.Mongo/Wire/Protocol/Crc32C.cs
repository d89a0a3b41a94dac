using System.Numerics;

namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>CRC-32C (Castagnoli), the OP_MSG checksum: reflected, init and final XOR 0xFFFFFFFF.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        // BitOperations.Crc32C uses the SSE4.2/ARM instruction when present; it neither inverts the input nor the output.
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
