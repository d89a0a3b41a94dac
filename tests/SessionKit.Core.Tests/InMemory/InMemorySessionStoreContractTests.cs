using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.InMemory;

public sealed class InMemorySessionStoreContractTests : SessionStoreContractTests
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
        => Task.FromResult<ISessionStore>(new InMemorySessionStore(time, TimeSpan.FromMinutes(1)));
}
