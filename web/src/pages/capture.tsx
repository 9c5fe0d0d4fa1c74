import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, resumableUpload, routes, type Attachment, type ResumableUpload } from "../api";
import { useMe } from "../auth";
import { ErrorBox, Loading, formatBytes, useLoad } from "../util";

// Capture on the job: the person who knows is on the floor with a phone. Step by step they take a
// photo or record a short clip with the browser's camera and say in one line what to do; each
// step uploads at once (resumable, with progress), and the finished steps are added to the article
// as a numbered how-to with the clips playing inline.

type Shot = { kind: "photo" | "clip"; blob: Blob; poster: Blob | null; preview: string };
type Status = "uploading" | "retrying" | "done" | "failed";
type Step = {
  key: number;
  text: string;
  shot: Shot;
  sent: number;
  total: number;
  status: Status;
  error: string | null;
  media: Attachment | null;
  poster: Attachment | null;
};

/** The longest clip recorded (a short how-to; longer ones are better split into steps). */
const MAX_CLIP_SECONDS = 120;

/** A frame of the live camera as a JPEG (a photo, or a clip's poster frame). */
async function grabFrame(video: HTMLVideoElement): Promise<Blob> {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth || 640;
  canvas.height = video.videoHeight || 480;
  canvas.getContext("2d")!.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no frame"))), "image/jpeg", 0.85),
  );
}

/** A recording container the browser can write (WebM in Chromium and Firefox, MP4 in Safari). */
function recordingType(): string {
  const types = ["video/webm;codecs=vp9,opus", "video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
  return types.find((t) => typeof MediaRecorder !== "undefined" && MediaRecorder.isTypeSupported(t)) ?? "";
}

/** The Markdown of the captured steps: a numbered how-to, one line and one photo or clip per step. */
export function stepsMarkdown(steps: { text: string; media: Attachment; poster: Attachment | null }[], who: string) {
  const date = new Date().toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  const items = steps.map((s, i) => {
    const line = s.text.trim().replace(/\s+/g, " ");
    const alt = line.replace(/[[\]\\]/g, "");
    const embed =
      s.media.kind === "video"
        ? `![video: ${alt}](${s.media.url}${s.poster ? `#poster=${s.poster.url}` : ""})`
        : `![${alt}](${s.media.url})`;
    return `${i + 1}. ${line}\n\n   ${embed}`;
  });
  return `## Steps captured on the job\n\n_Captured by ${who}, ${date}._\n\n${items.join("\n\n")}\n`;
}

export function CapturePage() {
  const { id = "" } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const article = useLoad(() => call(routes.articles.getArticlesById, { params: { id } }), [id]);
  const settings = useLoad(() => call(routes.settings.getSettings), []);
  const [steps, setSteps] = useState<Step[]>([]);
  const [shot, setShot] = useState<Shot | null>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const uploads = useRef(new Map<number, ResumableUpload[]>());
  const nextKey = useRef(1);
  const limitBytes = (settings.data?.uploadLimitMb ?? 100) * 1024 * 1024;

  const patch = useCallback(
    (key: number, change: Partial<Step>) =>
      setSteps((all) => all.map((s) => (s.key === key ? { ...s, ...change } : s))),
    [],
  );

  // Every upload is stopped when the page goes (an unfinished one resumes when started again).
  useEffect(() => {
    const open = uploads.current;
    return () => open.forEach((list) => list.forEach((u) => u.abort()));
  }, []);

  const startUpload = (step: Step) => {
    const { shot } = step;
    const ext = shot.kind === "photo" ? "jpg" : shot.blob.type.includes("mp4") ? "mp4" : "webm";
    const base = `step-${step.key}-${Date.now()}`;
    const files: { blob: Blob; name: string }[] = [{ blob: shot.blob, name: `${base}.${ext}` }];
    if (shot.poster) files.push({ blob: shot.poster, name: `${base}-poster.jpg` });
    const total = files.reduce((n, f) => n + f.blob.size, 0);
    const sent = files.map(() => 0);
    patch(step.key, { status: "uploading", error: null, sent: 0, total });
    const started = files.map((f, i) =>
      resumableUpload(f.blob, f.name, { articleId: id }, (bytes) => {
        sent[i] = bytes;
        patch(step.key, { sent: sent.reduce((a, b) => a + b, 0), status: "uploading" });
      }),
    );
    uploads.current.set(step.key, started);
    Promise.all(started.map((u) => u.done)).then(
      ([media, poster]) => patch(step.key, { status: "done", media, poster: poster ?? null, sent: total }),
      (e: ApiError) => patch(step.key, { status: "failed", error: e.message }),
    );
  };

  const addStep = (e: FormEvent) => {
    e.preventDefault();
    if (!shot || !text.trim()) return;
    const step: Step = {
      key: nextKey.current++,
      text: text.trim(),
      shot,
      sent: 0,
      total: shot.blob.size,
      status: "uploading",
      error: null,
      media: null,
      poster: null,
    };
    setSteps((all) => [...all, step]);
    setShot(null);
    setText("");
    startUpload(step);
  };

  const remove = (key: number) => {
    uploads.current.get(key)?.forEach((u) => u.abort());
    setSteps((all) => all.filter((s) => s.key !== key));
  };
  const move = (key: number, by: number) =>
    setSteps((all) => {
      const i = all.findIndex((s) => s.key === key);
      const j = i + by;
      if (i < 0 || j < 0 || j >= all.length) return all;
      const copy = [...all];
      [copy[i], copy[j]] = [copy[j], copy[i]];
      return copy;
    });

  const save = async () => {
    if (!article.data) return;
    const ready = steps.filter((s) => s.media) as (Step & { media: Attachment })[];
    const addition = stepsMarkdown(ready, me.name);
    setSaving(true);
    setError(null);
    // Adding steps is an append: when someone saved meanwhile (409), append to their version instead.
    let current = article.data;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await call(routes.articles.putArticlesById, {
          params: { id },
          body: {
            version: current.version,
            title: current.title,
            tags: current.tags,
            body: `${current.body.trimEnd()}\n\n${addition}`,
            note: `Added ${ready.length} captured step${ready.length === 1 ? "" : "s"}`,
          },
        });
        navigate(`/articles/${id}`);
        return;
      } catch (err) {
        const e = err as ApiError;
        if (e.status !== 409 || attempt === 2) {
          setError(e);
          setSaving(false);
          return;
        }
        current = await call(routes.articles.getArticlesById, { params: { id } });
      }
    }
  };

  if ((article.loading && !article.data) || (settings.loading && !settings.data)) return <Loading />;
  if (!article.data) return <ErrorBox error={article.error} />;
  const a = article.data;
  if (!a.canEdit)
    return (
      <div className="page">
        <h1>Capture steps</h1>
        <p>You may read this article but not add to it.</p>
        <Link to={`/articles/${a.id}`}>Back to the article</Link>
      </div>
    );
  const uploading = steps.some((s) => s.status === "uploading" || s.status === "retrying");
  const ready = steps.filter((s) => s.status === "done").length;
  return (
    <div className="page capture-page">
      <p className="muted small-text">
        <Link to={`/articles/${a.id}`}>{a.title}</Link>
      </p>
      <h1>Capture steps</h1>
      <p className="muted">
        One step at a time: take a photo or record a short clip of what you do, say it in one line, add the step. Each
        step uploads at once and picks up where it stopped when the connection drops. Files up to{" "}
        {settings.data?.uploadLimitMb ?? 100} MB.
      </p>
      <ErrorBox error={error} />
      <section className="card capture-card" aria-label="New step">
        <h2>Step {steps.length + 1}</h2>
        {shot ? (
          <ShotPreview shot={shot} onDiscard={() => setShot(null)} />
        ) : (
          <Camera limitBytes={limitBytes} onShot={setShot} />
        )}
        <form className="form" onSubmit={addStep}>
          <label className="field">
            <span>What to do in this step (one line)</span>
            <input
              value={text}
              maxLength={200}
              onChange={(e) => setText(e.target.value)}
              placeholder="e.g. Check both forks for cracks before lifting"
            />
          </label>
          <button className="primary" disabled={!shot || !text.trim()}>
            Add step {steps.length + 1}
          </button>
          {!shot && <span className="muted small-text"> Take a photo or record a clip first.</span>}
        </form>
      </section>
      {steps.length > 0 && (
        <section className="card" aria-label="Captured steps">
          <h2>Captured steps</h2>
          <ol className="capture-steps">
            {steps.map((s, i) => (
              <li key={s.key} className={`capture-step ${s.status}`}>
                <div className="capture-thumb">
                  {s.shot.kind === "photo" ? (
                    <img src={s.shot.preview} alt="" />
                  ) : (
                    <video src={s.shot.preview} muted playsInline preload="metadata" aria-hidden="true" />
                  )}
                </div>
                <div className="capture-step-body">
                  <label className="field">
                    <span className="sr-only">Text of step {i + 1}</span>
                    <input
                      value={s.text}
                      maxLength={200}
                      onChange={(e) => patch(s.key, { text: e.target.value })}
                      aria-label={`Text of step ${i + 1}`}
                    />
                  </label>
                  <div className="capture-progress">
                    <progress
                      max={s.total || 1}
                      value={s.sent}
                      aria-label={`Upload of step ${i + 1}`}
                      aria-valuetext={`${Math.round((100 * s.sent) / (s.total || 1))} %`}
                    />
                    <span className="small-text" role="status">
                      {s.status === "done"
                        ? `Uploaded · ${s.shot.kind} · ${formatBytes(s.total)}`
                        : s.status === "failed"
                          ? (s.error ?? "Upload failed")
                          : `${Math.round((100 * s.sent) / (s.total || 1))} % of ${formatBytes(s.total)}`}
                    </span>
                  </div>
                  <div className="actions">
                    {s.status === "failed" && (
                      <button className="small" onClick={() => startUpload(s)}>
                        Try again
                      </button>
                    )}
                    <button className="small" onClick={() => move(s.key, -1)} disabled={i === 0}>
                      Move up<span className="sr-only"> step {i + 1}</span>
                    </button>
                    <button className="small" onClick={() => move(s.key, 1)} disabled={i === steps.length - 1}>
                      Move down<span className="sr-only"> step {i + 1}</span>
                    </button>
                    <button className="small danger" onClick={() => remove(s.key)}>
                      Remove<span className="sr-only"> step {i + 1}</span>
                    </button>
                  </div>
                </div>
              </li>
            ))}
          </ol>
          <button
            className="primary"
            disabled={saving || uploading || ready === 0 || steps.some((s) => !s.text.trim())}
            onClick={() => void save()}
          >
            {uploading ? "Waiting for uploads…" : `Add ${ready} step${ready === 1 ? "" : "s"} to the article`}
          </button>
        </section>
      )}
    </div>
  );
}

function ShotPreview({ shot, onDiscard }: { shot: Shot; onDiscard: () => void }) {
  return (
    <div className="capture-view">
      {shot.kind === "photo" ? (
        <img src={shot.preview} alt="The photo just taken" />
      ) : (
        <video src={shot.preview} controls playsInline aria-label="The clip just recorded" />
      )}
      <p className="small-text muted">
        {shot.kind === "photo" ? "Photo" : "Clip"} · {formatBytes(shot.blob.size)}{" "}
        <button className="small" type="button" onClick={onDiscard}>
          Retake
        </button>
      </p>
    </div>
  );
}

/** The live camera (the back one on a phone) with "Take photo" and "Record clip"; a file picker when there is none. */
function Camera({ limitBytes, onShot }: { limitBytes: number; onShot: (s: Shot) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [recording, setRecording] = useState<{ recorder: MediaRecorder; started: number; bytes: number } | null>(null);
  const [, tick] = useState(0);

  useEffect(() => {
    let live: MediaStream | null = null;
    let cancelled = false;
    const open = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem("This browser gives no camera access here (it needs https).");
        return;
      }
      const video = { facingMode: { ideal: "environment" } };
      try {
        live = await navigator.mediaDevices.getUserMedia({ video, audio: true }).catch(() =>
          // Without a microphone (or its permission), clips are silent.
          navigator.mediaDevices.getUserMedia({ video, audio: false }),
        );
        if (cancelled) live.getTracks().forEach((t) => t.stop());
        else setStream(live);
      } catch (e) {
        setProblem(`The camera cannot be used: ${(e as Error).message || "permission refused"}.`);
      }
    };
    void open();
    return () => {
      cancelled = true;
      live?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
  }, [stream]);

  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => {
      tick((n) => n + 1);
      if (Date.now() - recording.started > MAX_CLIP_SECONDS * 1000) recording.recorder.stop();
    }, 500);
    return () => clearInterval(timer);
  }, [recording]);

  const photo = async () => {
    if (!video.current) return;
    const blob = await grabFrame(video.current);
    onShot({ kind: "photo", blob, poster: null, preview: URL.createObjectURL(blob) });
  };

  const record = async () => {
    if (!stream || !video.current) return;
    const poster = await grabFrame(video.current).catch(() => null);
    const type = recordingType();
    const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const chunks: Blob[] = [];
    let bytes = 0;
    recorder.ondataavailable = (e) => {
      if (!e.data.size) return;
      chunks.push(e.data);
      bytes += e.data.size;
      setRecording((r) => (r ? { ...r, bytes } : r));
      // Stop before the clip outgrows what the organisation accepts.
      if (bytes > limitBytes * 0.95 && recorder.state === "recording") recorder.stop();
    };
    recorder.onstop = () => {
      setRecording(null);
      const blob = new Blob(chunks, { type: (recorder.mimeType || type || "video/webm").split(";")[0] });
      onShot({ kind: "clip", blob, poster, preview: URL.createObjectURL(blob) });
    };
    recorder.start(1000);
    setRecording({ recorder, started: Date.now(), bytes: 0 });
  };

  const picked = (file: File | undefined) => {
    if (!file) return;
    const kind = file.type.startsWith("video/") ? "clip" : "photo";
    onShot({ kind, blob: file, poster: null, preview: URL.createObjectURL(file) });
  };

  const seconds = recording ? Math.floor((Date.now() - recording.started) / 1000) : 0;
  return (
    <div className="capture-view">
      {problem ? (
        <p className="notice" role="alert">
          {problem} Choose a photo or clip from the device instead.
        </p>
      ) : (
        <video ref={video} autoPlay muted playsInline aria-label="Camera" className={recording ? "recording" : ""} />
      )}
      <div className="actions capture-buttons">
        {!problem && !recording && (
          <>
            <button type="button" className="primary" disabled={!stream} onClick={() => void photo()}>
              Take photo
            </button>
            <button type="button" disabled={!stream || !recordingType()} onClick={() => void record()}>
              Record clip
            </button>
          </>
        )}
        {recording && (
          <button type="button" className="danger" onClick={() => recording.recorder.stop()}>
            Stop recording
          </button>
        )}
        {recording && (
          <span role="status" className="small-text">
            Recording {seconds} s · {formatBytes(recording.bytes)}
          </span>
        )}
        {!recording && (
          <label className="button file-button">
            Choose photo or clip
            <input
              type="file"
              accept="image/*,video/*"
              capture="environment"
              className="sr-only"
              onChange={(e) => picked(e.target.files?.[0])}
            />
          </label>
        )}
      </div>
    </div>
  );
}
