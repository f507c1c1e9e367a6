//! A counting global allocator for tests that bound memory: it refuses (returns null, which
//! aborts the test binary) any single allocation above `CAP` bytes, and records the bytes live
//! and their peak, so that a test can measure what a reader held at most. Shared by the
//! workbook reader's limit tests and the app's hostile-input test (`#[path]`).
//!
//! A test binary installs it with
//! `#[global_allocator] static ALLOCATOR: alloc::Capped<{ 1 << 30 }> = alloc::Capped;`.

#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Capped<const CAP: usize>;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measured call at a time: the peak is the whole process's.
static MEASURING: Mutex<()> = Mutex::new(());

// SAFETY: forwards to the system allocator; only refuses sizes above the cap (null = failure).
unsafe impl<const CAP: usize> GlobalAlloc for Capped<CAP> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > CAP {
            return std::ptr::null_mut();
        }
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: same layout, passed through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// The most bytes the process has held at once since it started (or since the last
/// [`measured`] call began).
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// `f`'s result and the most memory it held at once above what was held before it.
pub fn measured<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}
