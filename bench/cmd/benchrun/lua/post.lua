-- POST PATH with a new student whose ra is unique per request: RAPREFIX,
-- the thread number and a counter. Args: path raprefix.
local path, raprefix
local n = 0
local nomes = {
  "João da Silva", "Maria Eduarda dos Santos", "Ana Clara Oliveira", "José Antônio de Souza",
  "Lívia Conceição", "Ícaro Gonçalves Araújo", "Heloísa D'Ávila", "Pedro Henrique Müller",
}
local turmas = { "1A", "2B", "3C", "5B", "7A", "9C", "10A" }

function init(args)
  path, raprefix = args[1], args[2]
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = string.format('{"nome":"%s","turma":"%s","ra":"%s%d-%d"}',
    nomes[n % #nomes + 1], turmas[n % #turmas + 1], raprefix, tid, n)
  return wrk.format("POST", path, nil, body)
end
