using SessionKit;
using SessionKit.Testing;

namespace Example.SessionStore.Tests;

/// <summary>Every rule of SessionKit's store contract, run against <see cref="TinySessionStore"/>.</summary>
public sealed class TinySessionStoreContractTests : SessionStoreContractTests
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<ISessionStore>(new TinySessionStore(time));
}
