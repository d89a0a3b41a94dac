namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>OP_MSG flag bits.</summary>
[Flags]
internal enum OpMsgFlags : uint
{
    None = 0,
    ChecksumPresent = 1 << 0,
    MoreToCome = 1 << 1,
    ExhaustAllowed = 1 << 16,
}
