//! A counting global allocator for tests that bound memory: it refuses (returns null, which
//! aborts the test binary) any single allocation above `CAP` bytes, and records the bytes live
//! and their peak (the process's, and the measured thread's), so that a test can measure what a
//! reader held at most. Shared by the workbook reader's limit tests and the app's hostile-input
//! test (`#[path]`).
//!
//! A test binary installs it with
//! `#[global_allocator] static ALLOCATOR: alloc::Capped<{ 1 << 30 }> = alloc::Capped;`.

#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

pub struct Capped<const CAP: usize>;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// What the thread inside [`measured`] holds and held at most since it began: only that
/// thread's allocations count, so tests running beside it (building their fixtures) do not
/// inflate its peak. Signed: it may free memory it held before.
static MEASURED_LIVE: AtomicIsize = AtomicIsize::new(0);
static MEASURED_PEAK: AtomicIsize = AtomicIsize::new(0);
/// One measured call at a time.
static MEASURING: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread is inside [`measured`] (const-initialised, no destructor: safe to read
    /// from the allocator).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

fn active() -> bool {
    ACTIVE.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: forwards to the system allocator; only refuses sizes above the cap (null = failure).
unsafe impl<const CAP: usize> GlobalAlloc for Capped<CAP> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > CAP {
            return std::ptr::null_mut();
        }
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        if active() {
            let size = layout.size() as isize;
            let live = MEASURED_LIVE.fetch_add(size, Ordering::Relaxed) + size;
            MEASURED_PEAK.fetch_max(live, Ordering::Relaxed);
        }
        // SAFETY: same layout, passed through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        if active() {
            MEASURED_LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        // SAFETY: allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// The most bytes the process has held at once since it started.
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// `f`'s result and the most memory it held at once above what it held when it began. Counts
/// the calling thread's allocations only (`f` must not hand its work to other threads).
pub fn measured<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    MEASURED_LIVE.store(0, Ordering::Relaxed);
    MEASURED_PEAK.store(0, Ordering::Relaxed);
    ACTIVE.with(|a| a.set(true));
    let out = f();
    ACTIVE.with(|a| a.set(false));
    (out, MEASURED_PEAK.load(Ordering::Relaxed).max(0) as usize)
}
