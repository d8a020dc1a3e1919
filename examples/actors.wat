;; actors.wat: a pipeline of actors passing messages: the prime sieve over 2..300, one filter
;; actor per prime.
;;
;; An actor is a continuation that waits for its next message in `suspend $receive`; the
;; dispatcher delivers each message by resuming its addressee with it, and the actor runs until
;; it waits again or returns. Sending only queues a message, so actors never block each other.
;; An actor's function gets its first message as its argument, so a fresh actor (`cont.new`)
;; and a waiting one have the same type. The numbers actor sends 2..300 and then 0, meaning
;; "end", to the first filter. A filter prints the first number it gets, a prime p, and passes
;; on what p does not divide, spawning the next filter when the first such number comes.
;;
;; Run: wasmfx-run examples/actors.wat
(module
  (type $actor_fn (func (param i32)))
  (type $actor (cont $actor_fn))

  ;; Wait for the next message.
  (tag $receive (result i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Bytes 0..8 hold the iovec fd_write reads, 8..12 the count it writes back, 12..32 the
  ;; digits of a number being printed. NUL-terminated strings start at 1024. 4096..12288 is
  ;; the ring of queued messages, 8 bytes each: the addressee's id, then the message.
  (memory (export "memory") 1)
  (data (i32.const 1024) " \00")
  (data (i32.const 1040) "\n\00")
  (data (i32.const 1056) " primes up to 300, one filter actor each: \00")
  (data (i32.const 1120) " actors in all\n\00")

  ;; Each actor's continuation while it waits for a message.
  (table $actors 128 (ref null $actor))
  (global $next_id (mut i32) (i32.const 0))
  (global $queue_head (mut i32) (i32.const 0))
  (global $queue_tail (mut i32) (i32.const 0))
  (global $primes (mut i32) (i32.const 0))

  (elem declare func $numbers $filter)

  ;; Output.

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $print_str (param $s i32)
    (local $end i32)
    (local.set $end (local.get $s))
    (loop $scan
      (if (i32.load8_u (local.get $end))
        (then
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $scan))))
    (call $write (local.get $s) (i32.sub (local.get $end) (local.get $s))))

  (func $print_int (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 32))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (local.get $p) (i32.sub (i32.const 32) (local.get $p))))

  ;; Prints primes ten to a line.
  (func $print_prime (param $p i32)
    (if (global.get $primes)
      (then
        (if (i32.rem_u (global.get $primes) (i32.const 10))
          (then (call $print_str (i32.const 1024)))
          (else (call $print_str (i32.const 1040))))))
    (call $print_int (local.get $p))
    (global.set $primes (i32.add (global.get $primes) (i32.const 1))))

  ;; The actor API.

  (func $receive (result i32)
    (suspend $receive))

  (func $send (param $to i32) (param $message i32)
    (local $slot i32)
    (local.set $slot (i32.add (i32.const 4096) (i32.shl (global.get $queue_tail) (i32.const 3))))
    (i32.store (local.get $slot) (local.get $to))
    (i32.store offset=4 (local.get $slot) (local.get $message))
    (global.set $queue_tail
      (i32.and (i32.add (global.get $queue_tail) (i32.const 1)) (i32.const 1023)))
    ;; A full ring: no room for this program's few hundred messages in flight.
    (if (i32.eq (global.get $queue_tail) (global.get $queue_head))
      (then (unreachable))))

  ;; A new actor that will start when its first message arrives; returns its id.
  (func $spawn (param $f (ref $actor_fn)) (result i32)
    (local $id i32)
    (local.set $id (global.get $next_id))
    (global.set $next_id (i32.add (local.get $id) (i32.const 1)))
    (table.set $actors (local.get $id) (cont.new $actor (local.get $f)))
    (local.get $id))

  ;; The actors.

  ;; Sends 2..300 and then the end marker 0 to the actor its first message names.
  (func $numbers (type $actor_fn) (param $to i32)
    (local $n i32)
    (local.set $n (i32.const 2))
    (loop $next
      (call $send (local.get $to) (local.get $n))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $next (i32.le_u (local.get $n) (i32.const 300))))
    (call $send (local.get $to) (i32.const 0)))

  ;; Its first message is its prime; it forwards what the prime does not divide.
  (func $filter (type $actor_fn) (param $prime i32)
    (local $next i32)
    (local $n i32)
    (call $print_prime (local.get $prime))
    (local.set $next (i32.const -1))
    (loop $receive
      (local.set $n (call $receive))
      (if (i32.eqz (local.get $n))
        (then
          (if (i32.ge_s (local.get $next) (i32.const 0))
            (then (call $send (local.get $next) (i32.const 0))))
          (return)))
      (if (i32.rem_u (local.get $n) (local.get $prime))
        (then
          (if (i32.lt_s (local.get $next) (i32.const 0))
            (then (local.set $next (call $spawn (ref.func $filter)))))
          (call $send (local.get $next) (local.get $n))))
      (br $receive)))

  ;; Delivers queued messages until there are none.
  (func $dispatch
    (local $slot i32)
    (local $to i32)
    (local $message i32)
    (local $k (ref null $actor))
    (loop $next
      (if (i32.eq (global.get $queue_head) (global.get $queue_tail))
        (then (return)))
      (local.set $slot
        (i32.add (i32.const 4096) (i32.shl (global.get $queue_head) (i32.const 3))))
      (local.set $to (i32.load (local.get $slot)))
      (local.set $message (i32.load offset=4 (local.get $slot)))
      (global.set $queue_head
        (i32.and (i32.add (global.get $queue_head) (i32.const 1)) (i32.const 1023)))
      (local.set $k (table.get $actors (local.get $to)))
      (table.set $actors (local.get $to) (ref.null $actor))
      (block $on_receive (result (ref $actor))
        ;; A message to an actor that has returned traps here (null continuation); none is
        ;; sent in this program.
        (resume $actor (on $receive $on_receive) (local.get $message) (local.get $k))
        (br $next))
      (local.set $k)
      (table.set $actors (local.get $to) (local.get $k))
      (br $next)))

  (func (export "_start")
    (local $numbers i32)
    (local.set $numbers (call $spawn (ref.func $numbers)))
    (call $send (local.get $numbers) (call $spawn (ref.func $filter)))
    (call $dispatch)
    (call $print_str (i32.const 1040))
    (call $print_int (global.get $primes))
    (call $print_str (i32.const 1056))
    (call $print_int (global.get $next_id))
    (call $print_str (i32.const 1120))))
