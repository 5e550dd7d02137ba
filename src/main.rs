//! The `covenant` binary: parse arguments and run the commands of `covenant_cli`.

#[global_allocator]
static GLOBAL: covenant_cli::allocator::Mimalloc = covenant_cli::allocator::Mimalloc;

/// Runs before the Rust runtime, which would open `/dev/null` on a closed standard output and
/// so hide that a report has nowhere to go (`covenant check … >&-`). It allocates nothing:
/// mimalloc may not have started yet (`output::stdout_is_closed`).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static NOTE_CLOSED_STDOUT: extern "C" fn() = note_closed_stdout;

#[cfg(target_os = "linux")]
extern "C" fn note_closed_stdout() {
    if covenant_cli::output::stdout_is_closed() {
        covenant_cli::output::STDOUT_CLOSED_AT_START
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Runs before the Rust runtime's first allocation: mimalloc's arenas reserved 64 MiB at a
/// time, not 1 GiB (`allocator::reserve_small_arenas`).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SMALL_ARENAS: extern "C" fn() = small_arenas;

#[cfg(target_os = "linux")]
extern "C" fn small_arenas() {
    covenant_cli::allocator::reserve_small_arenas();
}

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(covenant_cli::main())
}
