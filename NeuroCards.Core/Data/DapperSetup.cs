using System.Runtime.CompilerServices;
using Dapper;

namespace NeuroCards.Core.Data;

internal static class DapperSetup
{
    // snake_case columns map onto PascalCase members everywhere, without aliasing every column.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Init() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}
