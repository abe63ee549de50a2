-- Who called (src/invoker.c): the role the session acts as, also inside the
-- SECURITY DEFINER functions that write results and history.  Defined
-- first: the history's actor and the run logs' run_by default to it.
CREATE FUNCTION parcel_gov.invoker()
    RETURNS regrole
    AS 'MODULE_PATHNAME', 'invoker'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.invoker() IS
  'the calling role (the session''s user or the role it SET ROLE to), unchanged inside SECURITY DEFINER functions: the actor of the register''s history and of the run logs';
