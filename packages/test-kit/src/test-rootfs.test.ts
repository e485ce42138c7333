import { findHostTools, parseLdd } from './test-rootfs';

describe('parseLdd', () => {
  it('keeps the resolved paths and the loader, drops the vDSO', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd4c5f2000)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f9899c00000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f9899a1e000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f9899fee000)',
      '',
    ].join('\n');

    expect(parseLdd(output)).toEqual([
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });
});

describe('findHostTools', () => {
  it('tells how to install busybox-static when busybox is missing', async () => {
    await expect(findHostTools(['/nonexistent/busybox'])).rejects.toThrow(
      'apt-get install -y busybox-static',
    );
  });
});
