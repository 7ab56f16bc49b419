/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points of a test guest:
 *  - _start32 (PVH note, XEN_ELFNOTE_PHYS32_ENTRY): QEMU -kernel and pcivmm
 *    enter here in 32-bit protected mode, paging off, %ebx = start_info; we
 *    build identity page tables for 0-4 GiB and switch to long mode.
 *  - _start64 (ELF e_entry): pcivmm enters here in long mode with its own
 *    identity page tables, %rbx = PVH start_info, on a host whose KVM
 *    cannot run a guest's own mode switch (kvm_pvm).
 */
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR4_PAE 0x20
#define CR0_PG_PE 0x80000001
#define PTE_P_W 0x3
#define PDE_2M 0x83

	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4                 /* name size: "Xen\0" */
	.long 4                 /* descriptor size */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long _start32
	.balign 4
	.popsection

	.section .text.boot, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	/* Zero .bss: the page tables below live there. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb

	mov $boot_pdpt, %eax
	or $PTE_P_W, %eax
	mov %eax, boot_pml4
	mov $boot_pdpt, %edi
	mov $boot_pd, %eax
	or $PTE_P_W, %eax
	mov $4, %ecx
1:	mov %eax, (%edi)
	add $4096, %eax
	add $8, %edi
	loop 1b
	mov $boot_pd, %edi
	mov $PDE_2M, %eax
	mov $2048, %ecx
2:	mov %eax, (%edi)
	add $0x200000, %eax
	add $8, %edi
	loop 2b

	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG_PE, %eax
	mov %eax, %cr0
	lgdt gdt_desc
	ljmp $0x10, $from32

	.code64
from32:
	mov $0x18, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov %ebx, %ebx          /* zero-extend start_info */
	jmp common64

	.globl _start64
_start64:
	cli
	cld
	mov $__bss_start, %rdi
	mov $__bss_end, %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	/* Our own GDT with the same selectors; reload CS with a far return. */
	lgdt gdt_desc
	pushq $0x10
	lea common64(%rip), %rax
	pushq %rax
	lretq

common64:
	mov $0x18, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	lea stack_top(%rip), %rsp
	mov %rbx, %rdi
	call guest_start
3:	cli
	hlt
	jmp 3b

/* Interrupt stubs: push a dummy error code where the CPU pushes none. */
.macro ISR vec
	.balign 16
isr_\vec:
	.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

	.text
	.altmacro
.macro ISR_ALL from=0, to=255
	ISR %(\from)
	.if \to-\from
	ISR_ALL %(\from+1), \to
	.endif
.endm
	ISR_ALL 0, 63
	ISR_ALL 64, 127
	ISR_ALL 128, 191
	ISR_ALL 192, 255

isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call isr_dispatch
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

.macro ISR_ADDR vec
	.quad isr_\vec
.endm
.macro ISR_TABLE from=0, to=255
	ISR_ADDR %(\from)
	.if \to-\from
	ISR_TABLE %(\from+1), \to
	.endif
.endm
	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	ISR_TABLE 0, 63
	ISR_TABLE 64, 127
	ISR_TABLE 128, 191
	ISR_TABLE 192, 255

	.data
	.balign 16
gdt:
	.quad 0
	.quad 0
	.quad 0x00af9b000000ffff        /* 0x10: 64-bit code */
	.quad 0x00cf93000000ffff        /* 0x18: data */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.quad gdt

	.bss
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.balign 16
stack:		.skip 64 * 1024
stack_top:

	.section .note.GNU-stack, "", @progbits
