-- An event's survey (answered before registering, required to register) and
-- evaluation (answered by attendees after the event). Questions are a JSON
-- list (text, single or multiple choice, required or not), editable until the
-- first answer; an answer is a JSON list with one entry per question.
CREATE TABLE forms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('survey', 'evaluation')),
    title text NOT NULL,
    questions jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, kind)
);

CREATE TABLE form_answers (
    form_id uuid NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    answers jsonb NOT NULL,
    answered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (form_id, user_id)
);
CREATE INDEX form_answers_by_user ON form_answers (user_id);
