using BenchmarkDotNet.Running;
using SessionKit.Benchmarks;

if (args is ["paired"])
{
    PairedRun.Run();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
