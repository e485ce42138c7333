import type { ComponentChildren } from 'preact';

/** What went wrong, in the words of the error (they say what to do). */
export function ErrorNote({ error }: { readonly error: Error | undefined }) {
  if (!error) return null;
  return (
    <p class="note note-error" role="alert">
      {error.message}
    </p>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="note note-muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { readonly children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** The trail from the top to this page, each step a link. */
export function Crumbs({ steps }: { readonly steps: readonly (readonly [string, string?])[] }) {
  return (
    <nav class="crumbs" aria-label="Breadcrumbs">
      {steps.map(([label, href], index) => (
        <span key={index}>
          {index > 0 && <span class="crumb-sep">/</span>}
          {href ? <a href={href}>{label}</a> : <span aria-current="page">{label}</span>}
        </span>
      ))}
    </nav>
  );
}
