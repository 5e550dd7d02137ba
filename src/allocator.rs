//! The process's allocator: mimalloc, asked for a plain block wherever the block's own
//! alignment already meets the request.
//!
//! The `mimalloc` crate's allocator sends every request through `mi_malloc_aligned`. In
//! mimalloc 3 that call takes the plain path only when the size's block is a power of two
//! (`mi_malloc_is_naturally_aligned`); a request of 24 or 1,153 bytes whose page has no free
//! block at hand goes to over-allocation instead: about 70 instructions an allocation where
//! `mi_malloc` takes about 20 (BENCHMARKS.md, "Allocation, third step").
//!
//! A plain block is aligned enough when the layout asks for at most 16 bytes of alignment and
//! for no more than its size, the rule the standard library's own `System` allocator uses:
//! mimalloc's block sizes are whole machine words, rounded to 16 bytes above 8 (its
//! `MI_ALIGN2W` bins), and a page's first block is 16-aligned (`MI_PAGE_MIN_START_BLOCK_ALIGN`),
//! so a block of 8 bytes is 8-aligned and any larger one 16-aligned. Every other layout keeps
//! the aligned calls. Debug builds check every block's alignment.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc's `MI_MAX_ALIGN_SIZE` on 64-bit targets: the alignment of its blocks of 16 bytes
/// and more.
const PLAIN_ALIGN: usize = 16;

/// mimalloc with plain calls where a plain block is aligned enough.
pub struct Mimalloc;

/// Whether a plain mimalloc block of `size` bytes is aligned to `align`.
fn plain_suffices(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

fn checked(p: *mut c_void, align: usize) -> *mut u8 {
    debug_assert!(p.is_null() || (p as usize).is_multiple_of(align));
    p.cast()
}

// SAFETY: every call hands mimalloc a layout the `GlobalAlloc` contract made valid and frees
// with `mi_free`, which takes blocks of the plain and the aligned calls alike; a plain block
// is only returned where `plain_suffices` holds (see the module's note).
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: plain C allocation calls; `align` is a power of two (a `Layout`'s).
        let p = unsafe {
            if plain_suffices(size, align) {
                mi::mi_malloc(size)
            } else {
                mi::mi_malloc_aligned(size, align)
            }
        };
        checked(p, align)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: as in `alloc`.
        let p = unsafe {
            if plain_suffices(size, align) {
                mi::mi_zalloc(size)
            } else {
                mi::mi_zalloc_aligned(size, align)
            }
        };
        checked(p, align)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract); `mi_free` frees the
        // blocks of both kinds of call.
        unsafe { mi::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from this allocator with `layout`; a block kept in place keeps
        // the alignment it was made with, a moved one is made by the same rule as `alloc`.
        let p = unsafe {
            if plain_suffices(new_size, align) {
                mi::mi_realloc(ptr.cast(), new_size)
            } else {
                mi::mi_realloc_aligned(ptr.cast(), new_size, align)
            }
        };
        checked(p, align)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size up to 1,100 bytes and a few large ones, at every alignment up to 4 KiB:
    /// the block is aligned, writable, zeroed when asked, and keeps its bytes when it grows
    /// and shrinks, also from one kind of call to the other.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let sizes = (1..=1_100).chain([4_095, 4_096, 65_537, 1 << 20, (4 << 20) + 3]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 32, 64, 4_096] {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                round_trip(layout);
            }
        }
    }

    fn round_trip(layout: Layout) {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: `layout` has a nonzero size; every block is freed with the layout it has.
        unsafe {
            let z = Mimalloc.alloc_zeroed(layout);
            assert!(
                !z.is_null() && (z as usize).is_multiple_of(align),
                "{size}/{align}"
            );
            assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
            Mimalloc.dealloc(z, layout);

            for new_size in [size * 3 + 1, size / 2 + 1, size + 7] {
                let p = Mimalloc.alloc(layout);
                assert!(
                    !p.is_null() && (p as usize).is_multiple_of(align),
                    "{size}/{align}"
                );
                for i in 0..size {
                    p.add(i).write(i as u8);
                }
                let q = Mimalloc.realloc(p, layout, new_size);
                assert!(
                    !q.is_null() && (q as usize).is_multiple_of(align),
                    "{size}/{align} → {new_size}"
                );
                for i in 0..size.min(new_size) {
                    assert_eq!(q.add(i).read(), i as u8, "{size}/{align} → {new_size}");
                }
                for i in 0..new_size {
                    q.add(i).write(!(i as u8));
                }
                Mimalloc.dealloc(q, Layout::from_size_align_unchecked(new_size, align));
            }
        }
    }

    #[test]
    fn the_plain_rule_is_the_standard_one() {
        assert!(plain_suffices(8, 8));
        assert!(plain_suffices(24, 8));
        assert!(plain_suffices(17, 16));
        assert!(!plain_suffices(8, 16));
        assert!(!plain_suffices(64, 32));
        assert!(plain_suffices(1, 1));
    }
}
