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
//! its size is a multiple of it: mimalloc's block sizes are whole machine words, rounded to 16
//! bytes above 8 (its `MI_ALIGN2W` bins), and a page's first block is 16-aligned
//! (`MI_PAGE_MIN_START_BLOCK_ALIGN`), so a block of 8 bytes is 8-aligned and any larger one
//! 16-aligned. The multiple also keeps the alignment in mimalloc's guarded debug builds, which
//! may place an object of `size` bytes right before a guard page, at an address aligned only to
//! the powers of two that divide `size`. A size that is not a multiple (an `Arc<str>` of 21
//! bytes, say) is asked for rounded up to one, which is the same size class in a normal build.
//! Larger alignments keep the aligned calls. Debug builds check every block's alignment.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

use libmimalloc_sys as mi;

// mimalloc's options, by number: `libmimalloc-sys` declares these calls only with its
// `extended` feature, and names no option past mimalloc 2's 21st.
extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set_default(option: c_int, value: c_long);
}

/// mimalloc 3's `mi_option_arena_reserve` (its place in `mi_option_e`): the address space an
/// arena reserves, in KiB; 1 GiB unless set.
const ARENA_RESERVE: c_int = 23;

/// The arena reserve this process asks for, in KiB: 64 MiB, which a large batch's 20 to 40 MiB
/// fits in (mimalloc makes a further arena when one is full).
const ARENA_RESERVE_KIB: c_long = 64 * 1024;

/// Has mimalloc reserve its arenas [`ARENA_RESERVE_KIB`] at a time rather than 1 GiB, as its
/// default: `MIMALLOC_ARENA_RESERVE` (in any case, as mimalloc reads it) still decides when
/// set. Called before the first allocation: an arena's bitmaps are written when it is made,
/// and for 1 GiB they cover about 40 pages, each a page fault at every start (`covenant
/// --version`: 383 → 323 page faults, 1.46 → 1.34 ms; BENCHMARKS.md, "Issue 18: twentieth
/// session"). Only the reservation changes: memory is committed as it is used either way.
pub fn reserve_small_arenas() {
    // SAFETY: a plain C call that stores an option's value unless the environment set it;
    // mimalloc reads it when it next makes an arena. It takes no lock and allocates nothing,
    // so it may run before mimalloc's own start.
    unsafe { mi_option_set_default(ARENA_RESERVE, ARENA_RESERVE_KIB) };
}

/// The arena reserve mimalloc will use, in KiB.
#[cfg(test)]
fn arena_reserve_kib() -> c_long {
    // SAFETY: a plain C call that reads an option's value.
    unsafe { mi_option_get(ARENA_RESERVE) }
}

/// mimalloc's `MI_MAX_ALIGN_SIZE` on 64-bit targets: the alignment of its blocks of 16 bytes
/// and more.
const PLAIN_ALIGN: usize = 16;

/// mimalloc with plain calls where a plain block is aligned enough.
pub struct Mimalloc;

/// The size of a plain mimalloc block that holds `size` bytes aligned to `align` (a power of
/// two), if a plain block can be: `size` rounded up to a multiple of `align`. A `Layout`'s size
/// so rounded does not overflow.
#[inline(always)]
fn plain_size(size: usize, align: usize) -> Option<usize> {
    // `align` is a power of two: a mask, not a division, on every allocation.
    let mask = align - 1;
    (align <= PLAIN_ALIGN).then_some((size + mask) & !mask)
}

fn checked(p: *mut c_void, align: usize) -> *mut u8 {
    debug_assert!(p.is_null() || (p as usize).is_multiple_of(align));
    p.cast()
}

// SAFETY: every call hands mimalloc a layout the `GlobalAlloc` contract made valid and frees
// with `mi_free`, which takes blocks of the plain and the aligned calls alike; a plain block
// is only asked for with the size `plain_size` makes a multiple of the alignment (see the
// module's note), which is at least the layout's size.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: plain C allocation calls; `align` is a power of two (a `Layout`'s).
        let p = unsafe {
            match plain_size(size, align) {
                Some(plain) => mi::mi_malloc(plain),
                None => mi::mi_malloc_aligned(size, align),
            }
        };
        checked(p, align)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: as in `alloc`.
        let p = unsafe {
            match plain_size(size, align) {
                Some(plain) => mi::mi_zalloc(plain),
                None => mi::mi_zalloc_aligned(size, align),
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
            match plain_size(new_size, align) {
                Some(plain) => mi::mi_realloc(ptr.cast(), plain),
                None => mi::mi_realloc_aligned(ptr.cast(), new_size, align),
            }
        };
        checked(p, align)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Option 23 is the arena reserve: 1 GiB (in KiB) until set, as mimalloc 3 documents it,
    /// then the smaller reserve. The test process runs no binary's start, so nothing has set
    /// it before.
    #[test]
    fn the_arena_reserve_is_option_23() {
        if std::env::vars_os().any(|(k, _)| k.eq_ignore_ascii_case("MIMALLOC_ARENA_RESERVE")) {
            return;
        }
        assert_eq!(arena_reserve_kib(), 1024 * 1024);
        reserve_small_arenas();
        assert_eq!(arena_reserve_kib(), ARENA_RESERVE_KIB);
    }

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
    fn plain_sizes_are_multiples_of_a_small_alignment() {
        assert_eq!(plain_size(8, 8), Some(8));
        assert_eq!(plain_size(21, 8), Some(24), "an Arc<str> of 5 bytes");
        assert_eq!(plain_size(17, 16), Some(32));
        assert_eq!(plain_size(8, 16), Some(16));
        assert_eq!(plain_size(21, 1), Some(21));
        assert_eq!(plain_size(64, 32), None);
    }
}
