/** Workflow files the server tests deploy through a real Git repository. */
export const HELLO = `name: hello
inputs:
  name: { type: string, default: world }
on:
  manual: {}
steps:
  greet:
    uses: log
    with: { message: "Hello, {{ inputs.name }}!" }
  shout:
    needs: [greet]
    uses: shell
    with:
      script: 'echo "HELLO $NAME"'
      env: { NAME: "{{ inputs.name }}" }
`;

export const SLOW = `name: slow
on:
  manual: {}
steps:
  wait:
    uses: sleep
    with: { duration: 20s }
`;

export const FAILS = `name: fails
on:
  manual: {}
steps:
  boom:
    uses: shell
    with: { script: "echo failing >&2; exit 3" }
    retry: { attempts: 2, delay: 10ms }
`;

export const NO_MANUAL = `name: cron-only
on:
  schedule:
    - cron: "0 3 1 1 *"
steps:
  one:
    uses: log
    with: { message: once a year }
`;

export const HOOKED = `name: hooked
on:
  webhook: { secret: HOOK_SECRET }
steps:
  note:
    uses: log
    with: { message: "delivery for {{ trigger.payload.ref }}" }
`;
