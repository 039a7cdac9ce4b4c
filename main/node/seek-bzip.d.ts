/**
 * The part of `seek-bzip` (pure-JS bzip2 decoder, no types of its own) that main/node/decompress.ts uses: `decode`
 * with caller-made byte streams, so the output can be capped.
 */
declare module 'seek-bzip' {
  /** A byte source: `readByte` returns the next byte (the caller's stream throws at its end). */
  interface BunzipInput {
    readByte(): number
    /** Copies up to `length` bytes into `buffer` at `offset`; the count read, or -1 at the end. */
    read(buffer: Uint8Array, offset: number, length: number): number
    seek(pos: number): void
    eof(): boolean
  }
  /** A byte sink. */
  interface BunzipOutput {
    writeByte(byte: number): void
  }
  /** The module object (CommonJS `module.exports`). */
  const Bunzip: {
    /** Decodes one bzip2 file (every stream in it with `multistream`) from `input` into `output`. */
    readonly decode: (input: BunzipInput, output: BunzipOutput, multistream?: boolean) => void
  }
  export = Bunzip
}
