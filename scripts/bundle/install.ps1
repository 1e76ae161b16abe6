# Install reprisal-cli from this folder on Windows, without the internet.
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 $HOME\reprisal-cli
#
# Same steps as install.sh: check the bundle (sums, Python version and platform), create a virtual
# environment at TARGET (python -m venv, else virtualenv from this folder), install with
# pip --no-index --find-links wheels, check the knowledge-base fingerprint.
# The bundle must have been built on Windows with the same Python version and architecture
# (see the README, "Installing without internet"). $env:PYTHON chooses the Python; otherwise the
# py launcher's Python of the bundle's version, else python on PATH.
# NOT TESTED in this project's CI (no Windows there): report problems.
param(
    [Parameter(Mandatory = $true, Position = 0)][string]$Target
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

function Fail([string]$Message) {
    [Console]::Error.WriteLine("install: $Message")
    exit 1
}

$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Platform = @{}
foreach ($line in Get-Content -LiteralPath (Join-Path $Here 'PLATFORM')) {
    $key, $value = $line -split '=', 2
    if ($null -ne $value) { $Platform[$key] = $value }
}

# Which Python: $env:PYTHON, else the py launcher's matching version, else python.
$Python = $env:PYTHON
if (-not $Python -and (Get-Command py -ErrorAction SilentlyContinue)) {
    $found = & py "-$($Platform['python'])" -c 'import sys; print(sys.executable)' 2>$null
    if ($LASTEXITCODE -eq 0 -and $found) { $Python = $found.Trim() }
}
if (-not $Python) { $Python = 'python' }
if (-not (Get-Command $Python -ErrorAction SilentlyContinue)) {
    Fail "no Python found: install Python $($Platform['python']) first, or set `$env:PYTHON"
}

# Nothing from the caller's settings may change what is installed, or reach a network.
Remove-Item Env:PYTHONPATH, Env:PYTHONHOME, Env:PIP_INDEX_URL, Env:PIP_EXTRA_INDEX_URL, Env:PIP_FIND_LINKS -ErrorAction SilentlyContinue
$env:PIP_CONFIG_FILE = 'nul'
$env:PIP_DISABLE_PIP_VERSION_CHECK = '1'
$env:PIP_NO_INPUT = '1'

& $Python (Join-Path $Here 'check_bundle.py') $Here
if ($LASTEXITCODE -ne 0) { exit 1 }

$Target = [System.IO.Path]::GetFullPath($Target)
$Created = $false
if (Test-Path -LiteralPath (Join-Path $Target 'pyvenv.cfg')) {
    Write-Output "install: $Target is already an environment: updating reprisal-cli in it"
} elseif ((Test-Path -LiteralPath $Target) -and (Get-ChildItem -LiteralPath $Target -Force | Select-Object -First 1)) {
    Fail "$Target exists and is not empty: choose a new folder"
} else {
    $Created = $true
    $useVenv = $env:REPRISAL_BUNDLE_FORCE_VIRTUALENV -ne '1'
    if ($useVenv) {
        & $Python -c 'import venv, ensurepip' 2>$null
        $useVenv = $LASTEXITCODE -eq 0
    }
    if ($useVenv) {
        Write-Output "install: creating $Target with python -m venv"
        & $Python -m venv $Target
        $useVenv = $LASTEXITCODE -eq 0
        if (-not $useVenv) { Remove-Item -Recurse -Force -LiteralPath $Target -ErrorAction SilentlyContinue }
    }
    if (-not $useVenv) {
        Write-Output "install: creating $Target with virtualenv from this folder"
        $tmp = Join-Path ([System.IO.Path]::GetTempPath()) ([System.Guid]::NewGuid().ToString())
        $wheels = (Get-ChildItem -LiteralPath (Join-Path $Here 'virtualenv') -Filter *.whl | ForEach-Object { $_.FullName }) -join ';'
        $env:PYTHONPATH = $wheels
        & $Python -m virtualenv --quiet --no-periodic-update --app-data (Join-Path $tmp 'app-data') $Target
        $status = $LASTEXITCODE
        Remove-Item Env:PYTHONPATH
        Remove-Item -Recurse -Force -LiteralPath $tmp -ErrorAction SilentlyContinue
        if ($status -ne 0) { Fail "virtualenv could not create $Target" }
    }
}

$VenvPython = Join-Path $Target 'Scripts\python.exe'
& $VenvPython -m pip install --quiet --no-index --no-cache-dir --find-links (Join-Path $Here 'wheels') --upgrade -r (Join-Path $Here 'requirements.txt')
if ($LASTEXITCODE -ne 0) {
    if ($Created) { Remove-Item -Recurse -Force -LiteralPath $Target -ErrorAction SilentlyContinue }
    Fail "pip could not install from $(Join-Path $Here 'wheels')"
}

$Expected = ((Get-Content -LiteralPath (Join-Path $Here 'FINGERPRINT')) -match '^knowledge base fingerprint ') -replace '^knowledge base fingerprint ', ''
$Exe = Join-Path $Target 'Scripts\reprisal-cli.exe'
$Version = (& $Exe --version) -join "`n"
if ($LASTEXITCODE -ne 0 -or -not $Version.Contains($Expected)) {
    if ($Created) { Remove-Item -Recurse -Force -LiteralPath $Target -ErrorAction SilentlyContinue }
    Fail "the installed knowledge base does not match FINGERPRINT ($Expected): $Version"
}

Write-Output ''
Write-Output $Version
Write-Output ''
Write-Output 'Installed. Compare the fingerprint above with the one you received through another channel.'
Write-Output "Start with:  $Exe assess"
