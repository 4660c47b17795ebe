/**
 * Compile-time checks that a configuration schema and the TypeScript types it feeds have the
 * same keys at every depth. Used as `type _ = NoMismatch<KeyMismatch<Schema, Props, "path">>`:
 * a key on one side only fails `tsc`, and the error shows the path and the key.
 * Types only: nothing here exists at run time.
 */

/** The object type behind an optional value or a list. */
type Plain<T> = NonNullable<T> extends readonly (infer E)[] ? Plain<E> : NonNullable<T>;

/** True for option objects (recursed into), false for strings, numbers, booleans, maps, classes with methods. */
type IsOptions<T> =
  Plain<T> extends string | number | boolean ? false : string extends keyof Plain<T> ? false : Plain<T> extends object ? true : false;

/**
 * `never` when `A` and `B` have the same keys at every depth (paths in `Skip` excepted), else
 * `{ path, onlyInSchema, onlyInProps }` for each place they differ.
 */
export type KeyMismatch<A, B, Path extends string, Skip extends string = never> = [
  Exclude<keyof Plain<A>, keyof Plain<B>>,
  Exclude<keyof Plain<B>, keyof Plain<A>>,
] extends [never, never]
  ? {
      [K in keyof Plain<A> & keyof Plain<B> & string]: `${Path}.${K}` extends Skip
        ? never
        : IsOptions<Plain<A>[K]> extends true
          ? IsOptions<Plain<B>[K]> extends true
            ? KeyMismatch<Plain<A>[K], Plain<B>[K], `${Path}.${K}`, Skip>
            : never
          : never;
    }[keyof Plain<A> & keyof Plain<B> & string]
  : { path: Path; onlyInSchema: Exclude<keyof Plain<A>, keyof Plain<B>>; onlyInProps: Exclude<keyof Plain<B>, keyof Plain<A>> };

/** Fails `tsc` (showing the mismatch) unless `T` is `never`. */
export type NoMismatch<T extends never> = T;

/** `never` when the two key sets are equal, else what each side has alone. */
export type SameKeys<A extends PropertyKey, B extends PropertyKey> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? never
  : { onlyInSchema: Exclude<A, B>; onlyInProps: Exclude<B, A> };

/** Every string at the leaves of a nested constant object. */
export type Leaves<T> = T extends string ? T : { [K in keyof T]: Leaves<T[K]> }[keyof T];
