#!/usr/bin/env pwsh
# A thin wrapper over the dotnet commands the README gives, so it cannot drift from what CI
# proves (.ci/run runs the same restore, build and test).
param(
    [ValidateSet('Build', 'Test', 'Run', 'Bench', 'Pack')]
    [string]$Target = 'Build',
    [string[]]$Arguments = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet([string[]]$dotnetArgs) {
    & dotnet @dotnetArgs
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Target) {
    'Build' { Invoke-Dotnet @('build', 'EventLoop.sln') }
    'Test'  { Invoke-Dotnet @('test') }
    'Run'   { Invoke-Dotnet (@('run', '--project', 'EventLoop.Samples', '--') + $(if ($Arguments.Count) { $Arguments } else { @('echo') })) }
    'Bench' { Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'EventLoop.Benchmarks', '--') + $(if ($Arguments.Count) { $Arguments } else { @('--filter', '*') })) }
    'Pack'  { Invoke-Dotnet @('pack', 'EventLoop.sln', '-c', 'Release', '-o', 'artifacts') }
}
