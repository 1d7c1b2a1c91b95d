/**
 * The part of unzipper 0.10 (the zip reader exceljs reads workbooks with) that xlsx-limits.ts uses; the package ships
 * no types of its own.
 */
declare module 'unzipper' {
  import type { Duplex, Readable } from 'node:stream';

  /** An entry as the central directory (at the end of the file) describes it. */
  export interface CentralDirectoryFile {
    path: string;
    type: 'File' | 'Directory';
    compressedSize: number;
    uncompressedSize: number;
    /** The entry's inflated bytes (the Word export tests read document.xml this way). */
    buffer(): Promise<Buffer>;
  }

  export interface CentralDirectory {
    numberOfRecords: number;
    files: CentralDirectoryFile[];
  }

  /** An entry as the local headers, read in file order, give it: a stream of its inflated bytes. */
  export interface Entry extends Readable {
    path: string;
    type: 'File' | 'Directory';
    autodrain(): unknown;
  }

  const unzipper: {
    Open: {
      buffer(buffer: Buffer): Promise<CentralDirectory>;
      file(path: string): Promise<CentralDirectory>;
    };
    /** With forceStream, a stream of Entry objects in file order (how exceljs's WorkbookReader reads). */
    Parse(options: { forceStream: true }): Duplex;
  };
  export default unzipper;
}
