namespace SessionKit.Sample;

/// <summary>The responses the sample's endpoints document in OpenAPI, besides their success response.</summary>
internal static class EndpointDocumentation
{
    /// <summary>A JSON body: 400 (field errors or malformed JSON), 413 (over <see cref="JsonBody.MaxBytes"/>), 415 (not JSON).</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder)
        where T : notnull
        => builder.Accepts<T>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>An endpoint that reads the session store: 503 with <c>Retry-After</c> while the store does not answer.</summary>
    public static RouteHandlerBuilder ProducesStoreUnavailable(this RouteHandlerBuilder builder)
        => builder.ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>An endpoint that needs a session: 401 without a valid one, 503 while the store does not answer.</summary>
    public static RouteHandlerBuilder ProducesSessionProblems(this RouteHandlerBuilder builder)
        => builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesStoreUnavailable();
}
