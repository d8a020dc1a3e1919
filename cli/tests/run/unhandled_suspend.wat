;; A continuation suspends with a tag that its resumer does not handle.
(module
  (type $f (func))
  (type $c (cont $f))
  (tag $ping)
  (tag $other)
  (elem declare func $task)

  (func $task
    (suspend $ping))

  (func $main (export "_start")
    (block $on_other (result (ref $c))
      (resume $c (on $other $on_other) (cont.new $c (ref.func $task)))
      (return))
    (drop)))
