import { useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so; where the browser refuses, says to select it. */
export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const [said, setSaid] = useState<string | undefined>();
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      setSaid('Select the text and copy it');
    }
    setTimeout(() => setSaid(undefined), 2500);
  };
  return (
    <button
      type="button"
      class="button button-small"
      onClick={() => void copy()}
      aria-label={`Copy ${label}`}
    >
      {said ?? 'Copy'}
    </button>
  );
}
