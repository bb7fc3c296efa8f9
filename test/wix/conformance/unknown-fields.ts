/**
 * Type-level conformance: the dotted paths of fields that `Ours` reads or sends but `Theirs` (Wix's
 * published typings) does not have. `never` means every field exists in Wix's type.
 *
 * Index signatures (zod's loose objects) are ignored; arrays compare their elements; a Wix field typed
 * `Record<string, any>` or a scalar ends the walk.
 */
export type UnknownFields<Ours, Theirs, Prefix extends string = ''> = {
  [K in KnownKeys<Shape<Ours>>]: K extends keyof Shape<Theirs>
    ? IsObject<Shape<Shape<Ours>[K]>> extends true
      ? IsObject<Shape<Shape<Theirs>[K]>> extends true
        ? UnknownFields<Shape<Ours>[K], Shape<Theirs>[K], `${Prefix}${K}.`>
        : never
      : never
    : `${Prefix}${K}`;
}[KnownKeys<Shape<Ours>>];

/** Literal values of an enum `X | 'A' | 'B'` as Wix's typings declare them (`…WithLiterals`). */
export type Literals<T> = T extends string ? (string extends T ? never : `${T}`) : never;

type Shape<T> = NonNullable<T extends readonly (infer E)[] ? E : T>;
type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
} &
  string;
type IsObject<T> = [T] extends [Date]
  ? false
  : [T] extends [readonly unknown[]]
    ? true
    : [T] extends [object]
      ? true
      : false;
