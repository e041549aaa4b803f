import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Write `bytes` to a scratch file in `dir`, flush it to the disk and remove it: resolves when
 * the folder can take a write of that size now (the disk has room and is writable), rejects
 * with the file system's error otherwise. The file is removed either way.
 */
export async function probeWritable(dir: string, bytes: number): Promise<void> {
  const path = join(dir, `.probe-${process.pid}-${Date.now()}`);
  try {
    const file = await open(path, 'w');
    try {
      const { bytesWritten } = await file.write(Buffer.alloc(bytes));
      if (bytesWritten !== bytes) throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`);
      await file.sync();
    } finally {
      await file.close();
    }
  } finally {
    await rm(path, { force: true });
  }
}
