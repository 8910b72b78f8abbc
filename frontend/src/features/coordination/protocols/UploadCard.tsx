/** Uploading a new draft: from a file, from the text in force, or typed; problems are located. */
import { useState, type ChangeEvent, type FormEvent } from "react";

import { api, unwrap, useApiMutation, type FieldError } from "../../../api";
import { Button, ErrorSummary, Field, Loading } from "../../../ui";
import { locatedErrors } from "./model";
import { protocolKeys } from "./queryKeys";
import { protocolTexts as t } from "./texts";

export function UploadCard({
  currentNumber,
  onUploaded,
}: {
  currentNumber: number | null;
  onUploaded: (number: number) => void;
}) {
  const tu = t.upload;
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [local, setLocal] = useState<FieldError[]>([]);
  const [loadingCurrent, setLoadingCurrent] = useState(false);
  const upload = useApiMutation(
    () => api.POST("/api/regulation/protocols", { body: { text, note: note.trim() || null } }),
    {
      invalidates: [protocolKeys.all],
      onSuccess: (version) => {
        setNote("");
        setText("");
        onUploaded(version.number);
      },
    },
  );
  const errors = local.length > 0 ? local : upload.error ? locatedErrors(upload.error) : [];

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setText(await file.text());
      setLocal([]);
    } catch {
      setLocal([{ field: null, msg: tu.fileError }]);
    }
  }

  async function fromCurrent() {
    if (currentNumber === null) return;
    setLoadingCurrent(true);
    try {
      const version = await unwrap(api.GET("/api/regulation/protocols/{number}", { params: { path: { number: currentNumber } } }));
      setText(version.text);
      setLocal([]);
    } catch (error) {
      setLocal([{ field: null, msg: error instanceof Error ? error.message : tu.fileError }]);
    }
    setLoadingCurrent(false);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (upload.isPending) return;
    setLocal([]);
    upload.mutate();
  }

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{tu.title}</h2>
      <p className="card-note">{tu.intro}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={upload.isPending}>
        <ErrorSummary title={tu.errorsTitle} intro={tu.errorsIntro(errors.length)} errors={errors} />
        <div className="upload-sources">
          <Field id="protocol-file" label={tu.file}>
            {({ id, describedBy }) => (
              <input
                id={id}
                type="file"
                accept=".yaml,.yml,.json,text/yaml,application/json"
                aria-describedby={describedBy}
                onChange={(e) => void onFile(e)}
              />
            )}
          </Field>
          {currentNumber !== null ? (
            <Button onClick={() => void fromCurrent()} busy={loadingCurrent}>
              {tu.fromCurrent}
            </Button>
          ) : null}
        </div>
        {loadingCurrent ? <Loading /> : null}
        <Field id="protocol-text" label={tu.text} error={errors.length > 0 ? tu.seeAbove : undefined}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              className="yaml-input"
              rows={16}
              spellCheck={false}
              value={text}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
        <Field id="protocol-note" label={tu.note} hint={tu.noteHint}>
          {({ id, describedBy }) => (
            <input id={id} type="text" value={note} aria-describedby={describedBy} onChange={(e) => setNote(e.target.value)} />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={upload.isPending}>
          {upload.isPending ? tu.submitting : tu.submit}
        </Button>
      </form>
    </section>
  );
}
